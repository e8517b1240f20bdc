import Extraction
import Foundation
import Kbuild
import Scan
import SeverCore
import SeverSupport

/// Precompiled headers of the kernel's big common headers, so a kernel unit's parse does not
/// pay for them again (issue 18): most of a unit's 0.4 s parse is `linux/module.h` or
/// `linux/fs.h` and what they include (0.3 s each on linux-6.12, x86_64), the same for every
/// unit compiled with the same flags.
///
/// A unit may be parsed over the precompiled header of an *anchor* header only if it includes
/// the anchor among the `#include <…>` lines it starts with (`LeadingIncludes`): then nothing of
/// its own comes before the anchor but a `pr_fmt` definition the precompiled header makes first
/// too, and parsing the anchor first changes nothing the unit means (the kernel's headers stand
/// alone). One precompiled header serves every unit with the same arguments but for those that
/// name the object and its own include paths (`ArgumentBuilder.precompiledHeaderArguments`), the
/// same anchor and the same `pr_fmt`. A parse over it that reports any error is done again
/// without it (`FactExtractor.extractWithDependencies`). What is left is a unit whose meaning
/// changes, without an error, when the anchor is read before the headers it names first: the
/// kernel's headers stand alone, and no unit of linux-6.12 does (the closing note of issue 18
/// compares every unit's facts both ways); `PrecompiledHeaderTests` does on the fixture tree.
///
/// Entries live in `<cache>/pch/v1/`: `KEY.h` (the `pr_fmt` lines and the `#include` line),
/// `KEY.pch`, its macros `KEY.pch.macros` (`PrecompiledHeaderFiles`), and `KEY.manifest`, a
/// `CacheFile` with the checksums of the `.pch` and the macros and the status of every file the
/// header read. An entry is used only when all of these still match; otherwise it is built
/// again, once this run has met `buildAfter` units that need it, so a run that parses a unit or
/// two never pays for a header it would not use twice.
public actor PrecompiledHeaders {
  /// The anchors, the one a unit uses first: headers whose own closure is most of a kernel
  /// unit's parse (each 0.2–0.5 s alone on linux-6.12), ordered so that most units share the
  /// first ones; lighter headers (`linux/kernel.h`, 0.03 s) are not worth a file of 16 MB.
  static let anchors = [
    "linux/module.h", "linux/fs.h", "linux/device.h", "linux/debugfs.h", "linux/seq_file.h",
    "linux/proc_fs.h", "linux/cgroup.h", "linux/miscdevice.h", "linux/pci.h",
    "linux/platform_device.h", "linux/mm.h", "linux/netdevice.h", "linux/cdev.h",
    "linux/poll.h", "linux/compat.h", "linux/i2c.h", "linux/slab.h", "linux/sysfs.h",
    "linux/kobject.h", "linux/kernfs.h", "linux/of.h",
  ]

  /// How many units of one entry a run parses without it before it builds the entry: the
  /// third unit of a run that needs an entry builds it (a build costs about one and a half
  /// plain parses and saves half of each later one).
  public static let buildAfter = 2

  /// How many entries the cache keeps (`prune`): about 15 MB each, and a whole linux-6.12
  /// tree uses 30 per architecture and configuration.
  public static let keptEntries = 64

  /// Bumped when the layout of an entry changes.
  static let formatVersion = "pch-2"

  /// What a unit is parsed over: the entry's key, its anchor, the `pr_fmt` definitions that
  /// come first, and its arguments.
  struct Spec: Sendable {
    var key: String
    var anchor: String
    var formatDefines: [String] = []
    var arguments: [String]

    /// The header the entry is built from.
    var text: String {
      formatDefines.map { $0 + "\n" }.joined() + "#include <\(anchor)>\n"
    }
  }

  /// A usable entry: the `.pch` file and every file it read but its own header (which a unit
  /// parsed without it does not read).
  struct Entry: Sendable {
    var path: String
    var dependencies: [String]
  }

  /// What `KEY.manifest` records.
  struct Manifest: Codable {
    struct Dependency: Codable {
      var path: String
      var status: FileStatus
    }
    var checksum: String
    var macrosChecksum: String
    var dependencies: [Dependency]
  }

  /// Why a build failed, as a sentence.
  struct BuildFailure: Error, Sendable {
    var reason: String
  }

  /// Builds a header (the first path) into a precompiled header (the second); returns the
  /// files the header read.
  typealias Builder =
    @Sendable (_ header: String, _ output: String) async -> Result<
      [String], BuildFailure
    >

  private enum Slot {
    case counting(Int)
    case building
    case done(Entry?)
  }

  /// Where the entries are.
  let directory: String
  /// How many units an entry's first units are parsed without it (`buildAfter`).
  let threshold: Int
  private var slots: [String: Slot] = [:]
  /// Entries that could not be built this run, with why (for `--verbose`).
  private(set) var failures: [String] = []
  /// How many entries this run built.
  private(set) var built = 0

  /// Entries under `directory`, built after `threshold` units parsed without.
  init(directory: String, threshold: Int = buildAfter) {
    self.directory = directory
    self.threshold = threshold
  }

  /// The spec of a unit: the first anchor its leading `#include <…>` lines name (with the
  /// `pr_fmt` definition it starts with, if any), and the arguments the builder gives its
  /// precompiled header; nil when it names none or its arguments are not the builder's own.
  ///
  /// A `pr_fmt` that spells `KBUILD_MODNAME` is expanded in the `static inline` helpers of the
  /// headers (`linux/maple_tree.h`'s), so the precompiled header needs the object's own
  /// definition of the name: it is kept in the arguments, and only the units of one module
  /// share such a header.
  static func spec(
    path: String, contents: [UInt8], builder: ArgumentBuilder
  ) -> Spec? {
    let leading = LeadingIncludes.scan(contents)
    let named = Set(leading.headers)
    guard let anchor = anchors.first(where: named.contains),
      var arguments = builder.precompiledHeaderArguments(for: path)
    else { return nil }
    if !leading.formatDefines.isEmpty {
      arguments += builder.arguments(for: path).filter { argument in
        guard let prefix = ObjectFlags.namingDefines.first(where: argument.hasPrefix) else {
          return false
        }
        let name = String(prefix.dropFirst(2).dropLast())
        return leading.formatDefines.contains { $0.contains(name) }
      }
    }
    let key = StableHash.hex(
      [formatVersion, SeverVersion.current, anchor] + leading.formatDefines + ["--"]
        + arguments)
    return Spec(
      key: key, anchor: anchor, formatDefines: leading.formatDefines, arguments: arguments)
  }

  /// The entry for `spec` if it is in the cache and current, or once enough units of this run
  /// have asked for it, built by `build` (which writes the `.pch` at the path it is given and
  /// returns the files it read, or why it could not); nil while the unit is to be parsed
  /// without one (also while another unit's task builds it).
  func entry(
    for spec: Spec,
    build: Builder
  ) async -> Entry? {
    switch slots[spec.key] {
    case .done(let entry): return entry
    case .building:
      // Waiting would leave a core idle for longer than a plain parse takes.
      return nil
    case .counting(let count) where count < threshold:
      slots[spec.key] = .counting(count + 1)
      Self.recordWant(spec, in: directory)
      return nil
    case .counting:
      try? FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      guard let claim = BuildClaim(directory + "/" + spec.key + ".building") else {
        // Another process builds it (`make -j` checks several objects at once).
        slots[spec.key] = .done(nil)
        return nil
      }
      defer { claim.release() }
      slots[spec.key] = .building
      let made = await Self.make(spec, in: directory, build: build)
      slots[spec.key] = .done(made.entry)
      unlink(directory + "/" + spec.key + ".wanted")
      if let failure = made.failure {
        failures.append(failure)
        // Remembered, so that runs of one object each (`make C=1`) do not try it again every
        // time enough of them have asked.
        _ = AtomicFile.write(Data(failure.utf8), to: directory + "/" + spec.key + ".failed")
      } else {
        unlink(directory + "/" + spec.key + ".failed")
      }
      if made.entry != nil { built += 1 }
      return made.entry
    case nil:
      if let entry = Self.current(spec, in: directory) {
        slots[spec.key] = .done(entry)
        return entry
      }
      if let failure = Self.recentFailure(spec, in: directory) {
        slots[spec.key] = .done(nil)
        failures.append(failure + " (an earlier run's attempt; tried again a day after it)")
        return nil
      }
      // Units of earlier runs count too: `make C=1` runs sever once per object, and a run
      // that checks one file should find the header its neighbours' runs asked for.
      let earlier = FileStatus(path: directory + "/" + spec.key + ".wanted")?.size ?? 0
      slots[spec.key] = .counting(earlier)
      return await entry(for: spec, build: build)
    }
  }

  /// Why an earlier run could not build the entry of `spec`, if it tried within a day
  /// (`KEY.failed`; `prune` removes it after that, as it has no manifest).
  private static func recentFailure(_ spec: Spec, in directory: String) -> String? {
    let path = directory + "/" + spec.key + ".failed"
    guard let status = FileStatus(path: path) else { return nil }
    let dayAgo = (Int(Date().timeIntervalSince1970) - 86_400) * 1_000_000_000
    guard status.modified >= dayAgo, let data = FileManager.default.contents(atPath: path) else {
      return nil
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// Records in `KEY.wanted` (a byte per unit, appended: its size is the count, and
  /// concurrent runs' appends do not overwrite each other) that a unit was parsed without the
  /// entry of `spec`.
  private static func recordWant(_ spec: Spec, in directory: String) {
    let path = directory + "/" + spec.key + ".wanted"
    var descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    if descriptor < 0, errno == ENOENT {
      try? FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    }
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    var byte: UInt8 = 0x2b
    _ = write(descriptor, &byte, 1)
  }

  /// The right to build one entry, held as a file made with `O_EXCL` while the builder runs,
  /// so that processes started at once (`make -j`) build it once; one left by a process that
  /// died is taken over once it is older than any build takes.
  struct BuildClaim {
    let path: String

    /// How old a claim may grow before it counts as abandoned.
    static let abandonedAfter = 600

    init?(_ path: String) {
      for _ in 0..<2 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor >= 0 {
          close(descriptor)
          self.path = path
          return
        }
        guard errno == EEXIST, let status = FileStatus(path: path) else { return nil }
        let age = Int(Date().timeIntervalSince1970) - Int(status.modified / 1_000_000_000)
        guard age > Self.abandonedAfter else { return nil }
        unlink(path)
      }
      return nil
    }

    func release() { unlink(path) }
  }

  /// Removes all but the `keeping` entries of `directory` used last (by their manifest's time,
  /// which every use sets), and the files of an entry without a manifest a day old (a run
  /// stopped while it built it; a younger one may be another run's, still building).
  static func prune(_ directory: String, keeping: Int = keptEntries) {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return }
    let used = names.filter { $0.hasSuffix(".manifest") }.map { name in
      (
        String(name.dropLast(".manifest".count)),
        FileStatus(path: directory + "/" + name)?.modified ?? 0
      )
    }.sorted { ($0.1, $0.0) > ($1.1, $1.0) }
    let kept = Set(used.prefix(keeping).map(\.0))
    let listed = Set(used.map(\.0))
    let dayAgo = (Int(Date().timeIntervalSince1970) - 86_400) * 1_000_000_000
    for name in names where !name.hasPrefix(".") {
      let key = String(name.prefix { $0 != "." })
      let path = directory + "/" + name
      let orphan = !listed.contains(key) && (FileStatus(path: path)?.modified ?? 0) < dayAgo
      if listed.contains(key) && !kept.contains(key) || orphan { unlink(path) }
    }
  }

  /// The cached entry when its manifest, its `.pch` and every file it read still match. A
  /// damaged manifest, `.pch` or macro file is removed with a warning (as every cache entry
  /// is); an entry whose header read a file that changed since is only out of date.
  static func current(_ spec: Spec, in directory: String) -> Entry? {
    let base = directory + "/" + spec.key
    let pchPath = base + ".pch"
    let macrosPath = PrecompiledHeaderFiles.macros(of: pchPath)
    guard
      let payload = CacheFile.validContents(
        base + ".manifest", describing: "precompiled header manifest")
    else { return nil }
    guard let manifest = try? JSONDecoder().decode(Manifest.self, from: payload),
      let pch = FileManager.default.contents(atPath: pchPath),
      Checksum.hex(pch) == manifest.checksum,
      let macros = FileManager.default.contents(atPath: macrosPath),
      Checksum.hex(macros) == manifest.macrosChecksum
    else {
      for path in [base + ".manifest", pchPath, macrosPath] { unlink(path) }
      CacheFile.warn(
        "the precompiled header '\(pchPath)' in the cache is damaged (it does not match its "
          + "manifest); it is rebuilt")
      return nil
    }
    for dependency in manifest.dependencies
    where FileStatus(path: dependency.path) != dependency.status {
      return nil
    }
    // The manifest's time says when the entry was last used, for `prune`.
    utime(base + ".manifest", nil)
    return Entry(
      path: pchPath,
      dependencies: manifest.dependencies.map(\.path).filter { $0 != base + ".h" })
  }

  /// Builds the entry of `spec`: the header, then the `.pch` under a temporary name, then the
  /// manifest, each renamed into place.
  private static func make(
    _ spec: Spec, in directory: String,
    build: Builder
  ) async -> (entry: Entry?, failure: String?) {
    let base = directory + "/" + spec.key
    let header = base + ".h"
    let text = Data(spec.text.utf8)
    // The header is an input of every `.pch` built from it: written again, its new time would
    // make clang reject a `.pch` another run has just built.
    if FileManager.default.contents(atPath: header) != text {
      guard AtomicFile.write(text, to: header) else {
        return (nil, "\(spec.anchor): cannot write '\(header)'")
      }
    }
    let temporary = directory + "/.tmp-\(UUID().uuidString).pch"
    defer {
      try? FileManager.default.removeItem(atPath: temporary)
      try? FileManager.default.removeItem(atPath: PrecompiledHeaderFiles.macros(of: temporary))
    }
    let read: [String]
    switch await build(header, temporary) {
    case .success(let files): read = files
    case .failure(let failure): return (nil, "\(spec.anchor): \(failure.reason)")
    }
    var dependencies: [Manifest.Dependency] = []
    for path in read {
      guard let status = FileStatus(path: path) else {
        return (nil, "\(spec.anchor): '\(path)' went away while it was precompiled")
      }
      dependencies.append(Manifest.Dependency(path: path, status: status))
    }
    let macros = PrecompiledHeaderFiles.macros(of: base + ".pch")
    guard let pch = FileManager.default.contents(atPath: temporary),
      let macroText = FileManager.default.contents(
        atPath: PrecompiledHeaderFiles.macros(of: temporary)),
      rename(PrecompiledHeaderFiles.macros(of: temporary), macros) == 0,
      rename(temporary, base + ".pch") == 0
    else { return (nil, "\(spec.anchor): cannot write '\(base).pch'") }
    let manifest = Manifest(
      checksum: Checksum.hex(pch), macrosChecksum: Checksum.hex(macroText),
      dependencies: dependencies)
    if let payload = try? JSONEncoder().encode(manifest) {
      CacheFile.write(payload, to: base + ".manifest")
    }
    return (Entry(path: base + ".pch", dependencies: read.filter { $0 != header }), nil)
  }
}
