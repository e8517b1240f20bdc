import SeverCore

/// Whether a file's open keeps the object its inode carries (`inode->i_private`, the data a
/// driver passed to `debugfs_create_file`) alive until the file's release: told from what the
/// open does to the object, a lifetime reference count taken on it (`kref_get(&d->ref)`,
/// `refcount_inc_not_zero(&kvm->users_count)` inside `kvm_get_kvm_safe`) that the release drops,
/// or debugfs's own `debugfs_file_get`, which `debugfs_remove()` waits for. A runtime-PM usage
/// count or a module reference does not keep the object.
enum ObjectPinning {
  /// What the open does to the object.
  enum Verdict: Equatable {
    /// The object lives until release, for the reason given.
    case pinned(reason: String, location: SourceLocation)
    /// Nothing the open does keeps the object.
    case notPinned
    /// The open hands the object to a function sever did not parse (`helper`): whether that
    /// function takes a reference is unknown.
    case unknown(helper: String, location: SourceLocation)
    /// The open takes a reference on an object the data points to (`stat_data->kvm`), which the
    /// release drops: the data lives as long when that object owns it (KVM frees its debugfs
    /// data when the VM goes), which sever cannot tell.
    case member(reason: String, location: SourceLocation)
  }

  /// The canonical path of the object: `inode->i_private` of the open's `inode` parameter.
  static let privateObject = AccessPath(
    root: "@inode", rootKind: .parameter, fields: ["i_private"], recordTags: ["inode"],
    arrows: [true])

  /// Library opens that store the object in the file: `simple_open` sets `file->private_data`
  /// to `inode->i_private`; the seq_file opens keep their data in the seq_file's `private`.
  static let libraryOpens: [String: AccessPath] = [
    "simple_open": AccessPath(
      root: "@file", rootKind: .parameter, fields: ["private_data"], recordTags: ["file"],
      arrows: [true])
  ]

  /// Whether `open` (nil: a library open or none) keeps the object behind `inode->i_private`
  /// alive until `release`.
  static func verdict(
    open: Located<FunctionDefinition>?, release: Located<FunctionDefinition>?,
    context: RuleContext
  ) -> Verdict {
    guard let open else { return .notPinned }
    let body = open.value
    // debugfs_file_get(dentry) in open, put again only in release's debugfs_file_put:
    // debugfs_remove() waits for it, so i_private outlives release (ipc4-mtrace.c).
    if let call = body.calls.first(where: { $0.callee == "debugfs_file_get" }) {
      return .pinned(
        reason: "\(body.name) holds debugfs_file_get() until release, and debugfs_remove() "
          + "waits for it", location: call.location)
    }
    let aliases = Self.aliases(in: open)
    let published = publishedLocals(in: body)
    // The reference may be taken through a record the open publishes later
    // (`kref_get(&list->hdev->ref)` before `file->private_data = list`).
    // Summaries keep only what callers can name (parameters, globals); the open's own calls
    // on a record it allocated (`list->hdev`) are read here.
    let onLocals = body.calls.compactMap { call -> ObjectReference? in
      guard let primitive = FunctionSummaries.referencePrimitives[call.callee],
        primitive.direction == .get, primitive.argument < call.arguments.count
      else { return nil }
      let argument = PathAlgebra.resolvingLocals(
        call.arguments[primitive.argument], in: body, before: call.location)
      guard argument.rootKind == .local else { return nil }
      return ObjectReference(
        direction: .get, argument: argument, primitive: call.callee, chain: [body.name],
        location: call.location, depth: 1)
    }
    let taken = (context.summaries.references(open) + onLocals).filter {
      $0.direction == .get
        && same(
          canonical(inFile($0.object, in: body, published: published), in: body, aliases: aliases),
          privateObject)
    }
    if let get = taken.first {
      let dropped = release.map { release in
        context.summaries.references(release).contains {
          $0.direction == .put
            && same(canonical($0.object, in: release.value, aliases: aliases), privateObject)
        }
      }
      let chain = get.chain.joined(separator: " → ")
      return .pinned(
        reason: "\(body.name) takes a reference on it (\(chain) → \(get.primitive))"
          + (dropped == true ? " that \(release?.value.name ?? "release") drops" : ""),
        location: get.location)
    }
    // A reference on an object the data points to, dropped by the release.
    for get in (context.summaries.references(open) + onLocals) where get.direction == .get {
      let object = canonical(
        inFile(get.object, in: body, published: published), in: body, aliases: aliases)
      guard object.root == privateObject.root, object.rootKind == privateObject.rootKind,
        object.fields.count > privateObject.fields.count,
        object.fields.starts(with: privateObject.fields), let release,
        context.summaries.references(release).contains(where: {
          $0.direction == .put
            && same(canonical($0.object, in: release.value, aliases: aliases), object)
        })
      else { continue }
      let chain = get.chain.joined(separator: " → ")
      return .member(
        reason: "\(body.name) takes a reference on \(TableRoles.display(object)) (\(chain) → "
          + "\(get.primitive)) that \(release.value.name) drops",
        location: get.location)
    }
    // The object handed to a function outside the run may be pinned there: unknown, not safe.
    for call in body.calls where !FactIndex.builtInHelpers.contains(call.callee) {
      guard context.index.function(named: call.callee, from: open.path) == nil,
        FunctionSummaries.referencePrimitives[call.callee] == nil
      else { continue }
      for argument in call.arguments {
        let path = PathAlgebra.resolvingLocals(argument, in: body, before: call.location)
        if same(TableRoles.canonical(path, in: body), privateObject) {
          return .unknown(helper: call.callee, location: call.location)
        }
      }
    }
    return .notPinned
  }

  /// What the open stores in the file, as canonical target → canonical value: the object moves
  /// into `file->private_data` (or a seq_file's `private`) and release finds it there.
  static func aliases(in open: Located<FunctionDefinition>) -> [AccessPath: AccessPath] {
    var result: [AccessPath: AccessPath] = [:]
    let body = open.value
    // Locals the open publishes in the file (`file->private_data = list`), so that stores
    // through them (`list->hdev = inode->i_private`) are found wherever they stand.
    let published = publishedLocals(in: body)
    for store in body.stores {
      let target = inFile(store.target, in: body, published: published)
      let value = TableRoles.canonical(
        PathAlgebra.resolvingLocals(store.value, in: body, before: store.location), in: body)
      if target.root.hasPrefix("@"), same(value, privateObject) { result[target] = value }
    }
    for call in body.calls {
      if let target = libraryOpens[call.callee] { result[target] = privateObject }
      // single_open(file, show, data): the seq_file in file->private_data keeps `data`.
      if call.callee.hasPrefix("single_open"), call.arguments.count >= 3 {
        let data = TableRoles.canonical(
          PathAlgebra.resolvingLocals(call.arguments[2], in: body, before: call.location),
          in: body)
        if same(data, privateObject) {
          let seqPrivate = AccessPath(
            root: "@file", rootKind: .parameter, fields: ["private_data", "private"],
            recordTags: ["file", "seq_file"], arrows: [true, true])
          result[seqPrivate] = privateObject
        }
      }
    }
    return result
  }

  /// Locals the open publishes in the file (`file->private_data = list`): local name → the
  /// canonical place in the file that holds it.
  static func publishedLocals(in body: FunctionDefinition) -> [String: AccessPath] {
    var published: [String: AccessPath] = [:]
    for store in body.stores where store.value.rootKind == .local && store.value.fields.isEmpty {
      let target = TableRoles.canonical(store.target, in: body)
      if target.root.hasPrefix("@") { published[store.value.root] = target }
    }
    return published
  }

  /// A path of the open in canonical terms, with a published local replaced by the place in
  /// the file that holds it (`list->hdev` → `file->private_data->hdev`).
  static func inFile(
    _ path: AccessPath, in body: FunctionDefinition, published: [String: AccessPath]
  ) -> AccessPath {
    let path = TableRoles.canonical(path, in: body)
    guard path.rootKind == .local, let base = published[path.root] else { return path }
    return PathAlgebra.appending(
      PathAlgebra.steps(of: path), to: base, finalAddress: path.addressOf)
  }

  /// Whether two paths designate the same object: root and fields (record tags may be missing
  /// where a path was read from an accessor macro's tokens).
  static func same(_ a: AccessPath, _ b: AccessPath) -> Bool {
    a.root == b.root && a.rootKind == b.rootKind && a.fields == b.fields && a.arrows == b.arrows
      && a.addressOf == b.addressOf
  }

  /// A path in canonical terms, with what the open stored replaced by the object it stored.
  static func canonical(
    _ path: AccessPath, in function: FunctionDefinition, aliases: [AccessPath: AccessPath]
  ) -> AccessPath {
    var path = TableRoles.canonical(path, in: function)
    path.addressOf = false
    for (alias, object) in aliases.sorted(by: { $0.key.fields.count > $1.key.fields.count })
    where path.root == alias.root && path.fields.starts(with: alias.fields) {
      var replaced = object
      for (index, field) in path.fields.enumerated().dropFirst(alias.fields.count) {
        replaced = replaced.appending(
          field, recordTag: index < path.recordTags.count ? path.recordTags[index] : "",
          arrow: index < path.arrows.count ? path.arrows[index] : true)
      }
      return replaced
    }
    return path
  }
}
