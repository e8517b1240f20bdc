import SeverCore
import Testing

/// `.config` reading and the `autoconf.h` it renders.
@Suite struct KernelConfigTests {
  let text = """
    # Automatically generated file; DO NOT EDIT.
    CONFIG_KERNFS=y
    CONFIG_IOSCHED_BFQ=m
    # CONFIG_PSI is not set
    CONFIG_HZ=250
    CONFIG_LOCALVERSION=""
    CONFIG_DEFAULT_HOSTNAME="(none)"
    not a config line
    CONFIG_BAD-NAME=y
    """

  @Test func readsTristatesAndValues() {
    let config = KernelConfig(parsing: text)
    #expect(config.tristate("KERNFS") == .y)
    #expect(config.tristate("IOSCHED_BFQ") == .m)
    #expect(config.tristate("PSI") == .n)
    #expect(config.tristate("HZ") == .n)
    #expect(config.values["HZ"] == "250")
    #expect(config.values["BAD-NAME"] == nil)
    #expect(config.values.count == 5)
  }

  @Test func rendersAutoconfLikeKbuild() {
    let header = KernelConfig(parsing: text).autoconfHeader()
    #expect(header.contains("#define CONFIG_KERNFS 1\n"))
    #expect(header.contains("#define CONFIG_IOSCHED_BFQ_MODULE 1\n"))
    #expect(!header.contains("CONFIG_PSI"))
    #expect(header.contains("#define CONFIG_HZ 250\n"))
    #expect(header.contains("#define CONFIG_DEFAULT_HOSTNAME \"(none)\"\n"))
    #expect(header.contains("#define CONFIG_LOCALVERSION \"\"\n"))
  }

  @Test func tristatesAreOrdered() {
    #expect(Tristate.n < .m && Tristate.m < .y)
  }
}
