import Foundation
import Testing

@testable import Review

/// Reply headers: address lists split and de-duplicated, non-ASCII as RFC 2047 words that
/// decode back, lines folded before 78 columns.
@Suite struct MailHeaderWriterTests {
  @Test func addressListsSplitOutsideQuotesAndBrackets() {
    let list = MailHeaderWriter.addresses(
      #""Heo, Tejun" <tj@kernel.org>, linux-kernel@vger.kernel.org , <a@b.org> (x, y)"#)
    #expect(
      list == [
        #""Heo, Tejun" <tj@kernel.org>"#, "linux-kernel@vger.kernel.org", "<a@b.org> (x, y)",
      ])
    let unique = MailHeaderWriter.unique(
      ["Ada <ADA@example.org>", "ada@example.org", "Bo <bo@example.org>"],
      excluding: ["bo@example.org"])
    #expect(unique == ["Ada <ADA@example.org>"])
  }

  @Test func nonASCIITextIsEncodedAndDecodesBack() {
    let subject = "Re: [PATCH] kernfs: ein Überblick über →, ✗ und die Lebensdauer von of->priv"
    let lines = MailHeaderWriter.field("Subject", subject)
    #expect(lines.allSatisfy { $0.count <= 78 && MailHeaderWriter.isASCII($0) }, "\(lines)")
    let unfolded = lines.joined(separator: "\n").replacingOccurrences(of: "\n ", with: " ")
    #expect(
      MailHeaders.decodeEncodedWords(String(unfolded.dropFirst("Subject: ".count))) == subject)
  }

  @Test func longAddressListsFoldAfterCommas() {
    let addresses = (1...8).map { "Maintainer Number \($0) <maintainer\($0)@example.org>" }
    let lines = MailHeaderWriter.addressField("Cc", addresses)
    #expect(lines.count > 1)
    #expect(lines.allSatisfy { $0.count <= 78 })
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
    #expect(lines.dropLast().allSatisfy { $0.hasSuffix(",") })
  }
}
