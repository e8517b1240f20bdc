/// The Kconfig and Makefile readers on text held in memory, for the fuzz targets and their
/// regression tests: whatever the text, each call returns (no crash, no hang).
public enum KbuildTextReaders {
  /// Reads `text` as a top-level `Kconfig` (a `source` of another file finds nothing), builds
  /// the symbol model and asks it for every defined symbol; returns the number of definitions.
  public static func readKconfig(_ text: String) -> Int {
    var parser = KconfigParser(
      tree: TreeFiles(memory: ["Kconfig": text]), arch: "x86_64", srcArch: "x86")
    parser.parse(path: "Kconfig")
    let model = KconfigModel(definitions: parser.definitions)
    for definition in parser.definitions { _ = model.values(of: definition.name) }
    return parser.definitions.count
  }

  /// Evaluates `text` as the kbuild `Makefile` of the tree root (an `include` of another file
  /// finds nothing), twice when it uses variables before assigning them as `KbuildTree` does;
  /// returns the number of variables it ends with.
  public static func readMakefile(_ text: String) -> Int {
    let tree = TreeFiles(memory: ["Makefile": text])
    let globals = ["ARCH": "x86_64", "SRCARCH": "x86", "srctree": ".", "objtree": "."]
      .mapValues { [CondWord(text: $0, condition: .always, origins: [])] }
    var evaluator = MakefileEvaluator(tree: tree, directory: "", globals: globals)
    evaluator.read(path: "Makefile")
    if evaluator.hasForwardReferences() {
      var second = MakefileEvaluator(tree: tree, directory: "", globals: globals)
      second.lookahead = evaluator.variables
      second.read(path: "Makefile")
      evaluator = second
    }
    return evaluator.variables.count
  }
}
