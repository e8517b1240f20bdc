import KernfsModel
import Scan
import SeverCore

/// Flags a debugfs `file_operations.release` that dereferences `inode->i_private`. debugfs
/// calls the real `release` at last fput, after `debugfs_remove()` returned and the driver may
/// have freed the object it passed as data (D2).
public struct DebugfsReleasePrivateRule: Rule {
  public static let description = RuleDescription(
    id: "debugfs-release-i-private",
    name: "debugfs Release Dereferences i_private",
    summary: "A debugfs release dereferences inode->i_private, which the driver may have freed "
      + "once debugfs_remove() returned while the file stayed open.",
    rationale: """
      debugfs brackets `read`, `write`, `poll` and `ioctl` with `debugfs_file_get()`/\
      `debugfs_file_put()`, and `debugfs_remove()` waits for those users, so the object a \
      driver passed as `data` (now `inode->i_private`) is safe to use from them. `release` is \
      different: `full_proxy_release` (fs/debugfs/file.c) calls the real `->release` \
      unconditionally at the last `fput()`, possibly long after `debugfs_remove()` returned \
      and the driver freed the object; the kernel's comment there says releasers "must not \
      assume that ->i_private is still being meaningful" (contract §1.8, D2). Stash what \
      release needs in `file->private_data` at open (under the protection of the open), or \
      make release independent of the object. History: 49d200deaa68 "debugfs: prevent access \
      to removed files' private data" made the other ops safe and left release to the user; \
      9fd4dcece43a did the same for the fops at open.
      """,
    clauses: [.D2],
    commits: [
      "49d200deaa68 debugfs: prevent access to removed files' private data",
      "9fd4dcece43a debugfs: prevent access to possibly dead file_operations at file open",
    ],
    defaultSeverity: .error,
    confidence: .moderate,
    fix: "Do not touch inode->i_private in release: take what release needs into "
      + "file->private_data at open, and free or put only that.",
    triggeringExamples: DebugfsReleasePrivateExamples.triggering,
    nonTriggeringExamples: DebugfsReleasePrivateExamples.nonTriggering)

  /// A debugfs release that dereferences `inode->i_private`, freed after removal (D2).
  public static let scenario = BehaviourSummary(
    name: "debugfs-release-i-private", framework: .debugfs, callbacks: [.open, .release, .read],
    canBeModule: true, release: ReleaseBehaviour(freesPriv: true, usesInodePrivate: true))

  /// A debugfs `file_operations` with a module `.release` that reaches `i_private` within
  /// `AnalysisDepth.inodePrivate`; its open is read as deep as the pinning check looks.
  public static let tierOne = TierOneRequirement(
    tableKinds: [.fileOperations],
    precondition: { table, file, definitions in
      guard
        TierOneSelection.mayBeRegistered(table, in: file, through: TierOneSelection.debugfsWords)
      else { return false }
      if table.isOpaque { return true }
      guard let release = table.field("release"), !TierOneSelection.isBuiltIn(release) else {
        return false
      }
      guard let name = release.handler else { return true }
      // After `.open = simple_open`, `file->private_data` is `i_private` too.
      let words =
        ["i_private"] + (table.field("open")?.handler == "simple_open" ? ["private_data"] : [])
      return words.contains { word in
        definitions.reaches(
          name, from: file.path, spelling: word, depth: AnalysisDepth.inodePrivate)
      }
    },
    fieldsRead: { _ in ["open", "release"] },
    reach: TierOneRequirement.fixed(
      1 + max(AnalysisDepth.references, AnalysisDepth.inodePrivate)))

  public init() {}

  /// Where a function dereferences `inode->i_private`, and through which helpers.
  struct Dereference {
    var location: SourceLocation
    var text: String
    var chain: [String]
  }

  public func check(_ context: RuleContext) -> [Finding] {
    let index = context.index
    var findings = FindingSet()
    for registration in index.pinningRegistrations()
    where registration.path != .fileOperations {
      let table = registration.table
      guard let release = index.handler(table, field: "release"),
        !FactIndex.builtInHelpers.contains(release.value.name),
        !registration.dataIsPermanent(index: index),
        let dereference = Self.inodePrivateDereference(
          in: release, index: index, depth: AnalysisDepth.inodePrivate,
          fileAlias: table.value.field("open")?.handler == "simple_open")
      else { continue }
      let pin = ObjectPinning.verdict(
        open: index.handler(table, field: "open"), release: release, context: context)
      if case .pinned = pin { continue }
      let summary = BehaviourSummary(
        name: table.value.qualifiedName, framework: .debugfs, callbacks: [.open, .release, .read],
        canBeModule: false, ownerPinned: true,
        release: ReleaseBehaviour(freesPriv: false, usesInodePrivate: true))
      guard
        let explanation = context.explain(
          summary, rule: Self.description, at: dereference.location)
      else { continue }
      var notes = [
        Finding.Note(
          location: table.value.location,
          message: "\(table.value.qualifiedName) sets .release = \(release.value.name)"),
        Finding.Note(
          location: registration.location,
          message: "registered with \(registration.callee)(): debugfs_remove() does not wait "
            + "for release, full_proxy_release calls it at last fput"),
      ]
      if dereference.chain.count > 1 {
        notes.append(
          Finding.Note(
            location: release.value.location,
            message: "through " + dereference.chain.joined(separator: " → ")))
      }
      var message =
        "\(release.value.name) dereferences \(dereference.text)"
        + (dereference.text.contains("i_private")
          ? "" : " (simple_open set it to inode->i_private)")
        + " in a debugfs release; release "
        + "runs at last fput, after debugfs_remove() returned, when the object passed as data "
        + "may be gone (freed by its owner, or unloaded with the module that holds it)"
      var severity = Severity.error
      var confidence = Finding.Confidence.moderate
      if case .unknown(let helper, let location) = pin {
        // Unknown is not safe, but not an error either: say what sever could not see.
        severity = .note
        confidence = .low
        message +=
          ", unless \(helper)(), which sever did not parse, takes a reference on it "
          + "that the release drops"
        notes.append(
          Finding.Note(
            location: location,
            message: "the open hands the object to \(helper)(), defined outside the files "
              + "parsed"))
      }
      if case .member(let reason, let location) = pin {
        // The data may belong to the object the open pins: safe exactly when it does.
        severity = .note
        confidence = .low
        message += ", unless the object the open takes a reference on owns it"
        notes.append(Finding.Note(location: location, message: reason))
      }
      notes += context.capabilityNotes(table.path)
      let finding = explanation.apply(
        to: Finding(
          ruleID: Self.description.id, severity: severity, confidence: confidence,
          message: message, location: dereference.location, notes: notes,
          fix: Self.description.fix,
          identity: Finding.Identity(rule: Self.description.id, handler: release.value.name)))
      findings.insert(
        finding,
        orNote: Finding.Note(
          location: table.value.location,
          message: "\(table.value.qualifiedName) also sets .release = \(release.value.name)"))
    }
    return findings.sorted
  }

  /// The first place `function` (or a helper it calls) dereferences `inode->i_private`: reads
  /// a field through it, or hands it to a call. With `fileAlias` (the open is `simple_open`,
  /// which copies `i_private` into `file->private_data`), `file->private_data` of the release's
  /// own file is the same object.
  static func inodePrivateDereference(
    in function: Located<FunctionDefinition>, index: FactIndex, depth: Int,
    fileAlias: Bool = false
  ) -> Dereference? {
    let body = function.value
    // Only the file the release is given: another file's private data is another object.
    let releaseFile = fileAlias ? body.parameters.dropFirst().first?.name : nil
    func throughPrivate(_ path: AccessPath, location: SourceLocation, beyond: Bool) -> Bool {
      let resolved = PathAlgebra.resolvingLocals(path, in: body, before: location)
      let aliased =
        releaseFile != nil && resolved.root == releaseFile && resolved.rootKind == .parameter
        && resolved.fields.first == "private_data"
      guard
        let position = aliased
          ? 0
          : resolved.fields.indices.first(where: {
            resolved.fields[$0] == "i_private"
              && ($0 < resolved.recordTags.count ? resolved.recordTags[$0] : "") == "inode"
          })
      else { return false }
      return beyond ? position < resolved.fields.count - 1 : true
    }
    var found: [Dereference] = []
    for use in body.uses where throughPrivate(use.path, location: use.location, beyond: true) {
      let resolved = PathAlgebra.resolvingLocals(use.path, in: body, before: use.location)
      found.append(
        Dereference(location: use.location, text: resolved.description, chain: [body.name]))
    }
    for call in body.calls {
      if let argument = call.arguments.first(where: {
        throughPrivate($0, location: call.location, beyond: false)
      }) {
        let resolved = PathAlgebra.resolvingLocals(argument, in: body, before: call.location)
        found.append(
          Dereference(
            location: call.location, text: "\(resolved.description) (passed to \(call.callee))",
            chain: [body.name]))
        continue
      }
      guard depth > 1, let callee = index.function(named: call.callee, from: function.path),
        let inner = inodePrivateDereference(in: callee, index: index, depth: depth - 1)
      else { continue }
      found.append(
        Dereference(location: call.location, text: inner.text, chain: [body.name] + inner.chain))
    }
    return found.min { $0.location < $1.location }
  }
}
