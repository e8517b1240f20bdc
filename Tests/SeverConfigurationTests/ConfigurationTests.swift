import Foundation
import SeverCore
import Testing

@testable import SeverConfiguration

/// `.sever.yml`: discovery, every key, and errors that name the file and the line.
@Suite struct ConfigurationTests {
  @Test func readsEveryKey() throws {
    let file = ConfigFixtures.path("good/.sever.yml")
    let configuration = try Configuration.load(file: file)
    #expect(configuration.file == file)
    #expect(configuration.rules["kernfs-poll-head-lifetime"]?.severity == .warning)
    #expect(configuration.rules["kernfs-poll-head-lifetime"]?.line == 3)
    #expect(configuration.rules["procfs-poll-exit-drain"]?.enabled == false)
    #expect(configuration.rules["kernfs-call-after-release"]?.enabled == true)
    #expect(
      configuration.exclude.map(\.pattern) == ["drivers/staging", "**/*_test.c", "tools/?.c"])
    #expect(configuration.arch == "x86_64")
    #expect(configuration.config == "build/.config")
    #expect(configuration.configPath == ConfigFixtures.path("good/build/.config"))
    #expect(configuration.jobs == 4)
  }

  @Test func foundByWalkingUp() throws {
    let start = ConfigFixtures.path("good/drivers/demo")
    #expect(Configuration.find(from: start) == ConfigFixtures.path("good/.sever.yml"))
    #expect(Configuration.find(from: start + "/source.c") == ConfigFixtures.path("good/.sever.yml"))
    #expect(try Configuration.load(from: start).arch == "x86_64")
  }

  @Test func missingFileIsTheEmptyConfiguration() throws {
    let directory = NSTemporaryDirectory() + "sever-config-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    // The temporary directory's ancestors hold no .sever.yml in a clean environment.
    if Configuration.find(from: directory) == nil {
      #expect(try Configuration.load(from: directory) == Configuration())
    }
    #expect(try Configuration.load(file: ConfigFixtures.path("empty.yml")).rules.isEmpty)
  }

  @Test(arguments: [
    (
      "unknown-key.yml",
      ":6: unknown key 'archs' in the top level; expected one of arch, config, exclude, isolate,"
        + " jobs, rules, unit-timeout"
    ),
    (
      "unknown-rule-key.yml",
      ":4: unknown key 'enable' in rules.kernfs-poll-head-lifetime; expected one of enabled, severity"
    ),
    ("wrong-type.yml", ":2: 'exclude' must be a list of strings"),
    (
      "bad-severity.yml",
      ":3: 'rules.kernfs-poll-head-lifetime.severity' is 'fatal', but it must be error, warning or note"
    ),
    ("bad-enabled.yml", ":3: 'rules.kernfs-poll-head-lifetime.enabled' must be true or false"),
    ("bad-jobs.yml", ":1: 'jobs' is '0', but it must be a positive integer"),
    ("invalid-yaml.yml", ":3: not valid YAML: "),
  ])
  func errorsNameFileAndLine(name: String, expected: String) {
    let file = ConfigFixtures.path(name)
    do {
      _ = try Configuration.load(file: file)
      Issue.record("\(name) loaded without an error")
    } catch {
      #expect("\(error)".hasPrefix(file + expected), "\(error)")
    }
  }

  @Test func unreadableFile() {
    #expect(throws: ConfigurationError.self) {
      try Configuration.load(file: ConfigFixtures.path("does-not-exist.yml"))
    }
  }

  @Test func unknownRuleIDsAreReportedWithTheirLine() throws {
    let configuration = try Configuration.load(file: ConfigFixtures.path("good/.sever.yml"))
    #expect(throws: Never.self) {
      try configuration.validate(
        knownRules: [
          "kernfs-poll-head-lifetime", "procfs-poll-exit-drain", "kernfs-call-after-release",
        ])
    }
    do {
      try configuration.validate(knownRules: [
        "kernfs-poll-head-lifetime", "procfs-poll-exit-drain",
      ])
      Issue.record("an unknown rule was accepted")
    } catch {
      #expect(
        error
          == .unknownRule(
            file: ConfigFixtures.path("good/.sever.yml"), line: 7,
            rule: "kernfs-call-after-release",
            known: ["kernfs-poll-head-lifetime", "procfs-poll-exit-drain"]))
    }
  }

  @Test func applyDropsDisabledAndExcludedAndOverridesSeverity() throws {
    let configuration = try Configuration.load(file: ConfigFixtures.path("good/.sever.yml"))
    let root = ConfigFixtures.path("good")
    let findings = [
      ConfigFixtures.finding(line: 1),
      ConfigFixtures.finding("procfs-poll-exit-drain", line: 2),
      ConfigFixtures.finding(path: "drivers/staging/x/y.c", line: 3),
      ConfigFixtures.finding(path: "fs/a_test.c", line: 4),
      ConfigFixtures.finding(path: "tools/a.c", line: 5),
      ConfigFixtures.finding(path: "tools/ab.c", line: 6),
      ConfigFixtures.finding("kernfs-call-after-release", line: 7),
      ConfigFixtures.finding("other-rule", line: 8),
    ]
    let kept = configuration.apply(to: findings, root: root)
    #expect(kept.map(\.location.line) == [1, 6, 7, 8])
    #expect(kept.map(\.severity) == [.warning, .warning, .note, .error])
  }

  @Test func excludePatternsAreRelativeToTheConfigurationDirectory() {
    let configuration = Configuration(
      file: "/src/linux/drivers/demo/.sever.yml", exclude: [PathGlob("generated")])
    #expect(configuration.isExcluded("drivers/demo/generated/x.c", root: "/src/linux"))
    #expect(!configuration.isExcluded("generated/x.c", root: "/src/linux"))
    #expect(!configuration.isExcluded("drivers/other/generated/x.c", root: "/src/linux"))
  }

  @Test(arguments: [
    ("drivers/staging", "drivers/staging/a/b.c", true),
    ("drivers/staging/", "drivers/staging/a.c", true),
    ("drivers/staging", "drivers/stagingx/a.c", false),
    ("*.c", "a.c", true),
    ("*.c", "fs/a.c", false),
    ("**/*.c", "fs/a.c", true),
    ("**/*.c", "a.c", true),
    ("fs/**/file.c", "fs/file.c", true),
    ("fs/**/file.c", "fs/kernfs/deep/file.c", true),
    ("fs/**", "fs/a/b.c", true),
    ("fs/?.c", "fs/a.c", true),
    ("fs/?.c", "fs/ab.c", false),
    ("fs/?", "fs/a/b.c", true),
    ("fs/*/x.c", "fs/a/b/x.c", false),
    ("./fs/a.c", "fs/a.c", true),
    ("odd dir/a,b:c%d.c", "odd dir/a,b:c%d.c", true),
  ])
  func globs(pattern: String, path: String, matches: Bool) {
    #expect(PathGlob(pattern).matches(path) == matches)
  }
}
