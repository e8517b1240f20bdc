/// A C lvalue or pointer expression reduced to a root and a chain of fields, as the rules reason
/// about it: `of->priv`, `&t->event_wait`, `ctx->psi.trigger`, `cgroup_mutex`.
public struct AccessPath: Codable, Sendable, Hashable, CustomStringConvertible {
  /// What the path starts from.
  public enum RootKind: String, Codable, Sendable, Hashable {
    /// A parameter of the enclosing function (`parameterIndex` says which).
    case parameter
    /// A local variable of the enclosing function.
    case local
    /// A variable with static storage outside any function (module data).
    case global
    /// A function designator (`.release = foo`, `kref_put(&k, foo_free)`).
    case function
    /// The result of a call (`kernfs_ops(kn)->release`); `root` is the callee.
    case call
    /// A constant: `NULL`, `0`, an enumerator.
    case literal
    /// Anything else (arithmetic, conditionals); `root` holds the text.
    case other
  }

  /// The root's name (or, for `.other`, the expression's text).
  public var root: String
  /// What the root is.
  public var rootKind: RootKind
  /// For a parameter root, its 0-based position.
  public var parameterIndex: Int?
  /// The fields accessed from the root, outermost last: `["psi", "trigger"]`.
  public var fields: [String]
  /// For each field, the struct tag of the object it is read from: `["cgroup_file_ctx", "psi_group"]`.
  public var recordTags: [String]
  /// For each field, whether it is reached through a pointer (`->`) rather than `.`.
  public var arrows: [Bool]
  /// Whether the expression takes the address (`&t->event_wait`).
  public var addressOf: Bool

  /// Creates a path.
  public init(
    root: String, rootKind: RootKind, parameterIndex: Int? = nil, fields: [String] = [],
    recordTags: [String] = [], arrows: [Bool] = [], addressOf: Bool = false
  ) {
    self.root = root
    self.rootKind = rootKind
    self.parameterIndex = parameterIndex
    self.fields = fields
    self.recordTags = recordTags
    self.arrows = arrows
    self.addressOf = addressOf
  }

  /// The path as C: `&t->event_wait`.
  public var description: String {
    var text = rootKind == .call ? root + "()" : root
    for (index, field) in fields.enumerated() {
      let arrow = index < arrows.count ? arrows[index] : true
      text += (arrow ? "->" : ".") + field
    }
    return addressOf ? "&" + text : text
  }

  /// The same path without its last field (`t->event_wait` → `t`); nil for a bare root.
  public var parent: AccessPath? {
    guard !fields.isEmpty else { return nil }
    return AccessPath(
      root: root, rootKind: rootKind, parameterIndex: parameterIndex,
      fields: Array(fields.dropLast()), recordTags: Array(recordTags.dropLast()),
      arrows: Array(arrows.dropLast()))
  }

  /// Whether `self` starts with `prefix` (same root, prefix of its fields); `&` is ignored.
  public func hasPrefix(_ prefix: AccessPath) -> Bool {
    root == prefix.root && rootKind == prefix.rootKind && fields.starts(with: prefix.fields)
  }

  /// Whether this is a constant null pointer (`NULL`, `0`).
  public var isNull: Bool { rootKind == .literal && (root == "NULL" || root == "0") }
}

extension AccessPath {
  /// `*self`: drops a leading `&`, or adds a `*` step.
  public var dereferenced: AccessPath {
    var copy = self
    if copy.addressOf {
      copy.addressOf = false
    } else {
      copy.fields.append("*")
      copy.recordTags.append("")
      copy.arrows.append(true)
    }
    return copy
  }

  /// `&self`: drops a trailing `*` step, or marks the address taken.
  public var takingAddress: AccessPath {
    var copy = self
    if copy.fields.last == "*" {
      copy.fields.removeLast()
      copy.recordTags.removeLast()
      copy.arrows.removeLast()
    } else {
      copy.addressOf = true
    }
    return copy
  }

  /// `self.field` or `self->field`; `(*p).f` is written `p->f`.
  public func appending(_ field: String, recordTag: String, arrow: Bool) -> AccessPath {
    var copy = self
    copy.addressOf = false
    if !arrow, copy.fields.last == "*" {
      copy.fields[copy.fields.count - 1] = field
      copy.recordTags[copy.recordTags.count - 1] = recordTag
      copy.arrows[copy.arrows.count - 1] = true
      return copy
    }
    copy.fields.append(field)
    copy.recordTags.append(recordTag)
    copy.arrows.append(arrow)
    return copy
  }
}
