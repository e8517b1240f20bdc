import Foundation
import Review
import Rules
import SeverConfiguration
import SeverCore
import SeverKit

/// What `sever review` and the pre-commit hook (`sever hook run`) share: reading the patches
/// (a file, a git range or the staged change), the configuration of the tree they apply to, and
/// the review itself.
struct ReviewSession {
  /// Where the patches come from.
  enum Source {
    /// A patch file, or `-` for standard input.
    case file(String)
    /// The commits of a git range.
    case gitRange(String)
    /// The staged change.
    case staged
  }

  var input: InputOptions
  var source: Source
  var tree: String?
  var reach: ReviewScope.Reach = .affected
  var onlyRules: [String] = []
  var noConfigFile = false

  /// The tree root the review runs against: `--tree`, else the checkout or kernel tree holding
  /// the current directory.
  var treeRoot: String {
    let path = tree ?? PatchInput.defaultTree()
    let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return URL(fileURLWithPath: joined).standardizedFileURL.path
  }

  /// Reads the input and reviews it; nil when `.staged` finds nothing staged. Errors are
  /// sentences for the user (exit status 2).
  func run() async throws(CommandFailure) -> ReviewOutcome? {
    let patches: PatchInput
    do {
      switch source {
      case .file(let name): patches = try PatchInput.file(name, tree: treeRoot)
      case .gitRange(let range): patches = try PatchInput.gitRange(range, directory: treeRoot)
      case .staged:
        guard let staged = try PatchInput.staged(directory: treeRoot) else { return nil }
        patches = staged
      }
    } catch {
      throw .usage(error.description)
    }
    let configuration = try loadConfiguration(root: patches.base.root)
    var options = input.checkOptions(paths: [], configuration: configuration)
    let configRoot = configuration.directory ?? ""
    options.excluded = { configuration.isExcluded($0, root: configRoot) }
    let linter = Pipeline.Request(
      options: options, rules: onlyRules.isEmpty ? nil : Set(onlyRules),
      configuration: configuration)
    do {
      return try await Reviewer.run(
        Reviewer.Request(
          patches: patches.patches, base: patches.base, linter: linter, reach: reach))
    } catch {
      throw .usage(error.description)
    }
  }

  private func loadConfiguration(root: String) throws(CommandFailure) -> Configuration {
    if noConfigFile { return Configuration() }
    do {
      let configuration = try Configuration.load(from: root)
      try configuration.validate(knownRules: Set(allRuleDescriptions.map(\.id)))
      return configuration
    } catch {
      throw .usage("\(error)")
    }
  }
}
