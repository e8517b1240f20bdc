import SeverCore
import Testing

@testable import Kbuild

@Test(arguments: [
  ("drivers/md", "drivers/md"), ("drivers/md/", "drivers/md"), ("a/./b", "a/b"),
  ("arch/x86/kvm/../../../virt/kvm/kvm_main.o", "virt/kvm/kvm_main.o"), ("./lib/", "lib"),
  ("a//b", "a/b"), (".", ""), ("a/.hidden/x.o", "a/.hidden/x.o"), ("a/b/..", "a"),
])
func normalizeResolvesDotSegments(_ input: String, _ expected: String) {
  #expect(MakeText.normalize(input) == expected)
}

@Test func wordsRespectReferenceNesting() {
  #expect(
    MakeText.words("a.o $(addprefix x/, b.o c.o)\td.o") == [
      "a.o", "$(addprefix x/, b.o c.o)", "d.o",
    ])
}

@Test func logicalLinesJoinContinuations() {
  let lines = MakeText.logicalLines("obj-y += a.o \\\n\tb.o\nobj-m += c.o\n")
  #expect(lines.map(\.number) == [1, 3, 4])
  #expect(lines.first?.text == "obj-y += a.o  b.o")
}

@Test func kconfigExpressionsParseWithPrecedence() {
  #expect(KconfigExpression.parse("A && !B || C = y").description == "(A && !B) || C=y")
  #expect(KconfigExpression.parse("(A").description == "<unknown>")
}

@Test func tristateSetsCombineLikeKconfig() {
  let tristate = TristateSet.all
  #expect(tristate.combine(TristateSet([.y]), min) == .all)
  #expect(tristate.combine(TristateSet([.n]), min) == TristateSet([.n]))
  #expect(TristateSet([.m]).description == "{m}")
}

@Test func conditionNegationsFollowDeMorgan() {
  let c = Condition(atoms: ["A": TristateSet([.y]), "B": TristateSet([.m, .y])])
  #expect(
    c.negations == [
      Condition(atoms: ["A": TristateSet([.n, .m])]), Condition(atoms: ["B": TristateSet([.n])]),
    ])
  #expect(c.and(.symbol("A", in: TristateSet([.n]))) == nil)
}

@Test func logicalLinesSplitCRLFText() {
  // "\r\n" is one Character in Swift; the lines must still be found and lose their "\r".
  let lines = MakeText.logicalLines("obj-y += a.o \\\r\n\tb.o\r\nobj-m += c.o\r\n")
  #expect(lines.map(\.number) == [1, 3, 4])
  #expect(lines.first?.text == "obj-y += a.o  b.o")
  #expect(lines.dropFirst().first?.text == "obj-m += c.o")
}

/// Joining the terms of a disjunction can go more than one way (`X∈{y}∧Y∈{y}` joins either of
/// the other two terms here); the way taken may not depend on the order the terms come in, nor
/// on hashing, which Swift seeds per process: `sever kbuild --all` once named a different
/// condition for dwc2's host files on every run.
@Test func mergedDisjunctionsDoNotDependOnOrder() {
  let terms = [
    Condition(atoms: ["X": TristateSet([.y]), "Y": TristateSet([.y])]),
    Condition(atoms: ["X": TristateSet([.m]), "Y": TristateSet([.y])]),
    Condition(atoms: ["X": TristateSet([.y]), "Y": TristateSet([.m])]),
  ]
  let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
  for order in orders {
    #expect(
      Condition.merged(order.map { terms[$0] }).map(\.description) == [
        "X∈{m,y} ∧ Y∈{y}", "X∈{y} ∧ Y∈{m}",
      ])
  }
}
