import Foundation
import Testing

@testable import SeverKit

/// The helper files a review may parse beside a change: those defining a function a candidate
/// calls by its whole name.
@Suite struct HelperFilesTests {
  @Test func aHelperIsTheFileDefiningAFunctionACandidateCalls() {
    let candidate = Data(
      """
      static int demo_open(struct inode *inode, struct file *file)
      {
      \treturn demo_core_get(inode->i_private) + xdemo_core_put(0) + 0x1f(1);
      }
      """.utf8)
    let core = Data("int demo_core_get(void *p)\n{\n\treturn 0;\n}\n".utf8)
    // Only a longer name ends in `demo_core_put(`: not a call of demo_core_put.
    let put = Data("int demo_core_put(void *p)\n{\n\treturn 0;\n}\n".utf8)
    let unrelated = Data("int demo_other(void)\n{\n\treturn 0;\n}\n".utf8)
    let helpers = InputSet.helperFiles(
      candidates: [candidate],
      others: [("d/put.c", put), ("d/core.c", core), ("d/other.c", unrelated)])
    #expect(helpers == ["d/core.c"])
  }
}
