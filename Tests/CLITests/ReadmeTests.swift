import Foundation
import Rules
import SeverConfiguration
import SeverCore
import SeverTestSupport
import Testing
import Yams

/// Every code block of README.md that is a command or a configuration runs here as written; the
/// fence's info string says how: `sh` in a git checkout of the fixture tree, `sh make` as make
/// targets of this repository, `sh kernel` in the real-tree smoke script of CI, `yaml sever`
/// loaded as a `.sever.yml`, `ini b4` as git configuration whose commands are run, the CI YAML
/// parsed and checked against `action.yml`, `c` for the suppression comments it shows, `json` as
/// JSON. `text` blocks are output and are not run. The module table is checked against
/// Package.swift and the imports.
@Suite struct ReadmeTests {
  /// One fenced block.
  struct Block: Sendable {
    var info: String
    var text: String
    var line: Int
  }

  static let readme = FixturePaths.repository + "/README.md"

  static var blocks: [Block] {
    let text = (try? String(contentsOfFile: readme, encoding: .utf8)) ?? ""
    var result: [Block] = []
    var current: (info: String, lines: [String], line: Int)?
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      if line.hasPrefix("```") {
        if let open = current {
          result.append(
            Block(info: open.info, text: open.lines.joined(separator: "\n"), line: open.line))
          current = nil
        } else {
          current = (String(line.dropFirst(3)), [], number + 1)
        }
      } else if current != nil {
        current?.lines.append(String(line))
      }
    }
    return result
  }

  static func blocks(_ info: String) -> [Block] { blocks.filter { $0.info == info } }

  static let kinds: Set<String> = [
    "sh", "sh make", "sh kernel", "yaml sever", "yaml github-actions", "yaml gitlab-ci",
    "yaml pre-commit", "ini b4", "c", "json", "text",
  ]

  /// The commands of a shell block: one per line, without trailing comments.
  static func commands(_ block: Block) -> [String] {
    block.text.split(separator: "\n").compactMap { line in
      var command = String(line)
      if let hash = command.range(of: " #") { command = String(command[..<hash.lowerBound]) }
      if command.hasPrefix("#") { return nil }
      command = command.trimmingCharacters(in: .whitespaces)
      return command.isEmpty ? nil : command
    }
  }

  static let knownRules = Set(allRuleDescriptions.map(\.id))

  @Test func everyBlockSaysHowItRuns() {
    #expect(!Self.blocks.isEmpty)
    for block in Self.blocks {
      #expect(Self.kinds.contains(block.info), "README.md:\(block.line): ```\(block.info)")
    }
  }

  /// A git checkout of the fixture tree, two commits deep, with the files the README names:
  /// `0001-demo-extra.patch` (a new driver) and `summary.json` (a behaviour summary).
  static func demoCheckout() throws -> String {
    let checkout = try SeverBinary.checkout()
    let file = checkout + "/drivers/demo/demo_proc.c"
    let text = try String(contentsOfFile: file, encoding: .utf8)
    try (text + "/* a second commit */\n").write(toFile: file, atomically: true, encoding: .utf8)
    _ = try SeverBinary.git(["commit", "-qam", "second"], in: checkout)
    try """
    /* An extra debugfs file of the demo module. */
    #include <linux/debugfs.h>
    #include <linux/module.h>
    MODULE_LICENSE("GPL");

    static int extra_release(struct inode *inode, struct file *file)
    {
    \treturn 0;
    }

    static const struct file_operations extra_fops = {
    \t.release = extra_release,
    };

    void extra_init(struct dentry *dir)
    {
    \tdebugfs_create_file("extra", 0444, dir, NULL, &extra_fops);
    }

    """.write(toFile: checkout + "/drivers/demo/demo_extra.c", atomically: true, encoding: .utf8)
    let makefile = checkout + "/drivers/demo/Makefile"
    try String(contentsOfFile: makefile, encoding: .utf8)
      .replacingOccurrences(of: "demo_sysfs.o", with: "demo_sysfs.o demo_extra.o")
      .write(toFile: makefile, atomically: true, encoding: .utf8)
    _ = try SeverBinary.git(["add", "-A"], in: checkout)
    let diff = try SeverBinary.git(["diff", "--cached"], in: checkout)
    _ = try SeverBinary.git(["reset", "-q", "--hard"], in: checkout)
    try diff.stdout.write(
      toFile: checkout + "/0001-demo-extra.patch", atomically: true, encoding: .utf8)
    try FileManager.default.copyItem(
      atPath: FixturePaths.fixtures + "/model/unsafe-psi-select-2023.json",
      toPath: checkout + "/summary.json")
    return checkout
  }

  /// Runs one README command line with `/bin/sh` in `directory`, `sever` on the PATH.
  static func shell(_ command: String, in directory: String) throws -> SeverBinary.Run {
    let bin = (SeverBinary.path as NSString).deletingLastPathComponent
    let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    return try SeverBinary.execute(
      "/bin/sh", ["-c", command], in: directory,
      environment: SeverBinary.environment(["PATH": path]))
  }

  @Test func shellBlocksWorkAsWritten() throws {
    let checkout = try Self.demoCheckout()
    let commands = Self.blocks("sh").flatMap(Self.commands)
    #expect(commands.count >= 15)
    for command in commands {
      let run = try Self.shell(command, in: checkout)
      // Findings (status 1) are what several commands are for; usage errors and crashes are not.
      #expect(run.status == 0 || run.status == 1, "\(command): \(run.status)\n\(run.stderr)")
      #expect(!run.stderr.contains("error:"), "\(command):\n\(run.stderr)")
    }
  }

  @Test func makeTargetsExist() throws {
    let targets = Self.blocks("sh make").flatMap(Self.commands)
    #expect(targets == ["make demo", "make test"])
    for target in targets {
      // Dry runs: these targets build sever and run this very test suite.
      let run = try SeverBinary.execute(
        "/usr/bin/env", ["make", "-n"] + target.split(separator: " ").dropFirst().map(String.init),
        in: FixturePaths.repository, environment: SeverBinary.environment())
      #expect(run.status == 0, "\(target): \(run.output)")
    }
  }

  @Test func kernelBlocksRunInTheRealTreeSmoke() throws {
    let smoke = try String(
      contentsOfFile: FixturePaths.repository + "/.ci/real-tree-smoke", encoding: .utf8)
    let commands = Self.blocks("sh kernel").flatMap(Self.commands)
    #expect(!commands.isEmpty)
    for command in commands {
      #expect(smoke.contains(command), "CI does not run the README's `\(command)`")
    }
  }

  @Test func configurationBlocksLoad() throws {
    let blocks = Self.blocks("yaml sever")
    #expect(!blocks.isEmpty)
    for block in blocks {
      let configuration = try Configuration.parse(block.text, file: "/src/linux/.sever.yml")
      try configuration.validate(knownRules: Self.knownRules)
      #expect(!configuration.rules.isEmpty)
    }
  }

  @Test func suppressionExamplesNameRealRules() {
    let blocks = Self.blocks("c")
    #expect(!blocks.isEmpty)
    for block in blocks {
      let suppressions = Suppression.scan(Array(block.text.utf8), path: "README.md")
      #expect(!suppressions.isEmpty)
      for suppression in suppressions {
        #expect(suppression.reason != nil)
        for id in suppression.ruleIDs { #expect(Self.knownRules.contains(id), "\(id)") }
      }
    }
  }

  @Test func b4ConfigurationRunsItsCommands() throws {
    let checkout = try Self.demoCheckout()
    for block in Self.blocks("ini b4") {
      let file = checkout + "/b4.ini"
      try block.text.write(toFile: file, atomically: true, encoding: .utf8)
      for key in ["b4.am-perpatch-check-cmd", "b4.prep-perpatch-check-cmd"] {
        let command = try SeverBinary.git(["config", "-f", file, "--get", key], in: checkout)
        #expect(command.status == 0, "\(key) missing")
        let run = try Self.shell(
          command.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            + " < 0001-demo-extra.patch", in: checkout)
        #expect(run.status == 1, "\(key): \(run.output)")
        #expect(run.stdout.contains("ERROR: drivers/demo/demo_extra.c:"), "\(run.output)")
        #expect(run.stderr.isEmpty, "b4 counts standard-error lines as failures: \(run.stderr)")
        // And b4 itself, configured with the block as written, runs it.
        _ = try SeverBinary.git(
          ["config", key, command.stdout.trimmingCharacters(in: .whitespacesAndNewlines)],
          in: checkout)
      }
      let b4 = try #require(ExternalTool.find("b4"), "\(ExternalTool.missing("b4"))")
      // The patch as b4 fetches it: a mail with a Message-ID, made by git format-patch.
      _ = try SeverBinary.git(["apply", "--index", "0001-demo-extra.patch"], in: checkout)
      _ = try SeverBinary.git(["commit", "-q", "-m", "demo: an extra debugfs file"], in: checkout)
      let mail = try SeverBinary.git(["format-patch", "-1", "--stdout", "--thread"], in: checkout)
      _ = try SeverBinary.git(["reset", "-q", "--hard", "HEAD~1"], in: checkout)
      let mbox = checkout + "/../" + UUID().uuidString + ".mbox"
      try mail.stdout.write(toFile: mbox, atomically: true, encoding: .utf8)
      let bin = (SeverBinary.path as NSString).deletingLastPathComponent
      let run = try SeverBinary.execute(
        b4, ["am", "-m", mbox, "--check", "-o", FixturePaths.temporary("b4-out")], in: checkout,
        environment: SeverBinary.environment([
          "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
          "XDG_CACHE_HOME": FixturePaths.temporary("b4-cache"),
        ]))
      #expect(run.status == 0, "\(run.output)")
      #expect(run.output.contains("sever: ERROR: drivers/demo/demo_extra.c:"), "\(run.output)")
      #expect(!run.output.contains("sever: sever:"), "\(run.output)")
    }
  }

  @Test func workflowBlocksParseAndUseTheAction() throws {
    let github = try #require(Self.blocks("yaml github-actions").first)
    let workflow = try #require(try Yams.load(yaml: github.text) as? [String: Any])
    #expect(workflow["jobs"] != nil)
    let action = try #require(
      try Yams.load(
        yaml: String(contentsOfFile: FixturePaths.repository + "/action.yml", encoding: .utf8))
        as? [String: Any])
    let inputs = Set((action["inputs"] as? [String: Any] ?? [:]).keys)
    // Every `with:` key the README shows (set or commented out) is an input of action.yml.
    let lines = github.text.split(separator: "\n")
    let step = lines.firstIndex { $0.contains("uses: OWNER/sever@") } ?? lines.endIndex
    let shown = lines[step...].dropFirst().compactMap { line -> String? in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
        .replacingOccurrences(of: "# ", with: "")
      guard let colon = trimmed.firstIndex(of: ":"), line.hasPrefix("          ") else {
        return nil
      }
      return String(trimmed[..<colon])
    }
    #expect(!shown.isEmpty)
    for key in shown { #expect(inputs.contains(key), "action.yml has no input '\(key)'") }
    for info in ["yaml gitlab-ci", "yaml pre-commit"] {
      for block in Self.blocks(info) { #expect(try Yams.load(yaml: block.text) != nil) }
    }
    let hooks = try String(
      contentsOfFile: FixturePaths.repository + "/.pre-commit-hooks.yaml", encoding: .utf8)
    #expect(hooks.contains("id: sever-review"))
  }

  @Test func jsonBlocksParse() throws {
    for block in Self.blocks("json") {
      #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(block.text.utf8)) }
    }
  }

  /// The module table of the Architecture section: module → what it depends on.
  static func moduleTable() -> [String: Set<String>] {
    let text = (try? String(contentsOfFile: readme, encoding: .utf8)) ?? ""
    guard let start = text.range(of: "| module | depends on | holds |") else { return [:] }
    var table: [String: Set<String>] = [:]
    for line in text[start.upperBound...].split(separator: "\n").dropFirst() {
      guard line.hasPrefix("| `") else { break }
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count >= 2 else { continue }
      let name = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
      let dependencies = cells[1].split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(
          in: CharacterSet(charactersIn: "`"))
      }.filter { $0 != "—" && $0 != "libclang-14" }
      table[name] = Set(dependencies)
    }
    return table
  }

  /// The dependencies of each library and executable target, read from Package.swift's text
  /// (`swift package dump-package` would wait for the build lock `swift test` holds).
  static func packageTargets() throws -> [String: Set<String>] {
    let text = try String(
      contentsOfFile: FixturePaths.repository + "/Package.swift", encoding: .utf8)
    var result: [String: Set<String>] = [:]
    let declarations =
      text.components(separatedBy: ".target(").dropFirst().map { ($0, false) }
      + text.components(separatedBy: ".executableTarget(").dropFirst().map { ($0, true) }
    for (declaration, _) in declarations {
      // The declaration runs to the next target.
      let body = declaration.components(separatedBy: ".target(")[0]
        .components(separatedBy: ".executableTarget(")[0]
        .components(separatedBy: ".testTarget(")[0]
      guard let nameStart = body.range(of: "name: \""),
        let nameEnd = body[nameStart.upperBound...].firstIndex(of: "\"")
      else { continue }
      let name = String(body[nameStart.upperBound..<nameEnd])
      var dependencies: Set<String> = []
      if let list = body.range(of: "dependencies: [") {
        var depth = 1
        var index = list.upperBound
        var inner = ""
        while index < body.endIndex, depth > 0 {
          let character = body[index]
          if character == "[" { depth += 1 }
          if character == "]" { depth -= 1 }
          if depth > 0 { inner.append(character) }
          index = body.index(after: index)
        }
        for part in inner.components(separatedBy: ".product(name: \"") {
          if part != inner.components(separatedBy: ".product(name: \"")[0],
            let end = part.firstIndex(of: "\"")
          {
            dependencies.insert(String(part[..<end]))
          }
        }
        let plain = inner.components(separatedBy: ".product(")[0]
        for word in plain.split(whereSeparator: { ", \n\t".contains($0) }) {
          let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
          if !trimmed.isEmpty, word.hasPrefix("\"") { dependencies.insert(trimmed) }
        }
      }
      result[name] = dependencies
    }
    return result
  }

  @Test func moduleTableMatchesPackageAndImports() throws {
    let declared = try Self.packageTargets().filter { name, _ in
      !name.hasPrefix("Fuzz") && !name.hasPrefix("CFuzz") && name != "SeverTestSupport"
    }
    let table = Self.moduleTable()
    #expect(Set(table.keys) == Set(declared.keys))
    let system: Set<String> = ["Foundation", "Synchronization", "Glibc", "Darwin", "Dispatch"]
    for (module, dependencies) in declared.sorted(by: { $0.key < $1.key }) {
      #expect(table[module] == dependencies, "README's row of \(module)")
      let directory = FixturePaths.repository + "/Sources/" + module
      var imports: Set<String> = []
      for file in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
      where file.hasSuffix(".swift") {
        let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
        for line in text.split(separator: "\n") {
          let words = line.split(separator: " ")
          if let index = words.firstIndex(of: "import"), index + 1 < words.count,
            words[..<index].allSatisfy({ ["@testable", "public", "internal"].contains($0) })
          {
            imports.insert(String(words[index + 1]))
          }
        }
      }
      imports.subtract(system)
      if module == "CClang" { continue }
      #expect(imports == dependencies, "the imports of \(module)")
    }
  }
}
