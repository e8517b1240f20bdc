import Foundation
import SeverTestSupport
import Testing

@testable import SeverKit

/// The headers sever generates in Swift equal what the kernel's own generators write from the
/// same inputs (`Fixtures/generated`, whose expected files come from the linux-6.12 scripts).
@Suite struct GeneratedHeadersTests {
  static let folder = FixturePaths.fixtures + "/generated/"

  func text(_ name: String) throws -> String {
    try String(contentsOfFile: Self.folder + name, encoding: .utf8)
  }

  @Test func cpucapsAreWhatGenCpucapsAwkWrites() throws {
    let out = Arm64Headers.cpucaps(try text("cpucaps"), fileName: "cpucap-defs.h")
    #expect(out == (try text("cpucap-defs.h.expected")))
  }

  @Test func sysregsAreWhatGenSysregAwkWrites() throws {
    #expect(Arm64Headers.sysreg(try text("sysreg")) == (try text("sysreg-defs.h.expected")))
  }

  @Test func syscallHeadersAreWhatTheScriptsWrite() throws {
    let table = try text("syscall.tbl")
    let native = SyscallHeaders.entries(table, abis: ["common", "64"])
    #expect(
      SyscallHeaders.header(native, fileName: "unistd_64.h")
        == (try text("unistd_64.h.expected")))
    #expect(SyscallHeaders.table(native) == (try text("syscall_table_64.h.expected")))
    let x32 = SyscallHeaders.entries(table, abis: ["x32"])
    #expect(
      SyscallHeaders.header(x32, fileName: "unistd_64_x32.h", prefix: "x32_")
        == (try text("unistd_64_x32.h.expected")))
  }

  @Test func selinuxHeadersAreWhatGenheadersWrites() throws {
    let classes = SelinuxHeaders.classes(try text("classmap.h"))
    #expect(classes.map(\.name) == ["security", "file", "tcp_socket"])
    let sids = SelinuxHeaders.initialSids(try text("initial_sid_to_string.h"))
    #expect(SelinuxHeaders.flask(classes, sids: sids) == (try text("flask.h.expected")))
    #expect(SelinuxHeaders.permissions(classes) == (try text("av_permissions.h.expected")))
  }

  @Test func s390FacilitiesFollowTheConfiguration() {
    let source = """
      static struct facility_def facility_defs[] = {
      	{
      		.name = "FACILITIES_ALS",
      		.bits = (int[]){
      			0,  /* N3 instructions */
      #ifdef CONFIG_HAVE_MARCH_Z10_FEATURES
      			64, /* comment 1, 2 */
      #endif
      			-1 /* END */
      		}
      	},
      };
      static void print(void) { memset(a, 0, 8); }
      """
    let off = S390Headers.facilityLists(source, defined: [])
    #expect(off.count == 1 && off[0].0 == "FACILITIES_ALS" && off[0].1 == [0])
    let on = S390Headers.facilityLists(source, defined: ["CONFIG_HAVE_MARCH_Z10_FEATURES"])
    #expect(on[0].1 == [0, 64])
  }
}
