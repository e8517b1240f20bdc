import SeverCore

/// The fix of `kernfs-stale-priv` where the handler already re-checks `of->priv` for NULL after
/// taking the lock again: the release that frees `of->priv` sets it to NULL after the free, as
/// 94a4acfec146 did for `cgroup_file_release`, so the check sees a released file.
extension StalePrivRule {
  public static func fix(_ finding: Finding, in context: FixContext) -> FixOutcome {
    let index = context.rules.index
    guard let name = finding.identity.handler,
      let handler = index.function(named: name, from: finding.location.path)
    else {
      return .left("the handler is not among the facts of this run; run `sever check` on its file")
    }
    let rechecks = handler.value.conditions.contains { condition in
      guard condition.takenWhenNull, condition.location < finding.location,
        let tested = condition.tested
      else { return false }
      return isPriv(tested, in: handler.value)
    }
    guard rechecks else {
      return .left(
        "\(name) does not check of->priv for NULL before the use, so clearing it in release "
          + "is not enough: read of->priv again under cgroup_mutex and check it, a redesign of "
          + "\(name) (`sever explain kernfs-stale-priv`)")
    }
    // The releases the finding names in its notes: those that free of->priv.
    let releases = finding.notes.compactMap { note in
      index.files.first { $0.path == note.location.path }?.functions
        .first { $0.location == note.location }
        .map { Located(path: note.location.path, value: $0) }
    }.filter { release in
      !context.rules.summaries.clearsPriv(release) && freeOfPriv(release, context: context) != nil
    }
    guard !releases.isEmpty else {
      return .left("sever sees no release that frees of->priv directly; clear it by hand")
    }
    var edits: [LineEdit] = []
    var introducedAt: [SourceLocation] = []
    for release in releases {
      switch clearing(release, context: context) {
      case .left(let reason): return .left(reason)
      case .fixed(let edit, let free):
        edits.append(edit)
        introducedAt.append(free)
      }
    }
    let names = releases.map { $0.value.name + "()" }.joined(separator: " and ")
    return .fixed(
      FixProposal(
        edits: edits, action: "set of->priv to NULL in",
        target: releases.map(\.value.name).joined(separator: " and "),
        change: "Set of->priv to NULL in \(names) after freeing it, as commit 94a4acfec146 "
          + "(\"cgroup/psi: Set of->priv to NULL upon file release\") did, so that the NULL "
          + "check in \(name)() sees a file that removal released while the lock was dropped.",
        introducedAt: introducedAt))
  }

  /// Whether a path is `of->priv` of the function's `struct kernfs_open_file` parameter.
  private static func isPriv(_ path: AccessPath, in function: FunctionDefinition) -> Bool {
    let canonical = TableRoles.canonical(path, in: function)
    return canonical.root == "@kernfs_open_file" && canonical.fields == ["priv"]
      && !canonical.addressOf
  }

  /// The shortest free of `of->priv` below a release.
  private static func freeOfPriv(_ release: Located<FunctionDefinition>, context: FixContext)
    -> FreedObject?
  {
    context.rules.summaries.frees(release)
      .filter { isPriv($0.path, in: release.value) }
      .min { ($0.depth, $0.location) < ($1.depth, $1.location) }
  }

  private enum Clearing {
    case fixed(LineEdit, free: SourceLocation)
    case left(String)
  }

  /// `of->priv = NULL;` on the line after the statement of the release that frees it (the free
  /// itself, or the call of the helper that frees it), indented like that statement.
  private static func clearing(_ release: Located<FunctionDefinition>, context: FixContext)
    -> Clearing
  {
    let body = release.value
    guard let free = freeOfPriv(release, context: context) else {
      return .left("\(body.name) no longer frees of->priv")
    }
    let call =
      free.chain.count == 1
      ? body.calls.first { $0.location == free.location }
      : body.calls.first { $0.callee == free.chain[1] }
    guard let call else { return .left("\(body.name) frees of->priv in a way sever cannot place") }
    guard call.guards.isEmpty else {
      return .left(
        "\(body.name) frees of->priv only when \(call.guards.joined(separator: " && ")); "
          + "set it to NULL inside that branch by hand")
    }
    guard let parameter = body.parameters.first(where: { $0.recordTag == "kernfs_open_file" })
    else {
      return .left("\(body.name) takes no struct kernfs_open_file to clear")
    }
    let path = release.path
    guard
      FixText.isOneLineStatement(
        startingWith: call.callee, line: call.location.line, sources: context.sources, path: path),
      let line = context.sources.line(call.location.line, of: path)
    else {
      return .left(
        "the statement of \(body.name) that frees of->priv (\(call.callee)() at line "
          + "\(call.location.line)) does not end on its line; add `\(parameter.name)->priv = "
          + "NULL;` after it by hand")
    }
    return .fixed(
      LineEdit(
        path: path, line: call.location.line + 1,
        inserting: [FixText.indentation(line) + "\(parameter.name)->priv = NULL;"]),
      free: free.location)
  }
}
