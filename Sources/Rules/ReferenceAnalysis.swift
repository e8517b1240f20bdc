import SeverCore

/// A reference count a function takes (`get`) or drops (`put`) on an object reached from one
/// of its parameters or a global: what keeps an object alive, told from what the calls do to the
/// object (the kernel's reference-count primitives on a counter inside it), not from names.
public struct ObjectReference: Sendable, Hashable, SummaryEntry {
  /// Taking or dropping.
  public enum Direction: String, Sendable, Hashable {
    case get, put
  }

  /// Taking or dropping.
  public var direction: Direction
  /// What the primitive is given, in the analysed function's terms (`&kvm->users_count`, or a
  /// helper's parameter `kref` that its caller fills with `&resource->kref`).
  public var argument: AccessPath
  /// The object the count keeps alive (`kvm` for `refcount_inc_not_zero(&kvm->users_count)`,
  /// `d` for `kref_get(&d->ref)` and for `get_device(&d->dev)`; `d->dev` for
  /// `get_device(d->dev)`, which does not keep `d`). Computed from the argument where it is
  /// read, so that a caller's `&resource->kref` designates `resource`.
  public var object: AccessPath { FunctionSummaries.countedObject(argument) }
  /// The primitive at the bottom of the chain.
  public var primitive: String
  /// The functions from the analysed one down to the primitive, outermost first.
  public var chain: [String]
  /// Where the primitive is called.
  public var location: SourceLocation
  /// Functions from the analysed one down to the primitive.
  public var depth: Int

  /// The same count on the same object in the same direction.
  struct Key: Hashable {
    var direction: Direction
    var argument: AccessPath
  }

  var key: Key { Key(direction: direction, argument: argument) }

  static func order(_ lhs: ObjectReference, _ rhs: ObjectReference) -> Bool {
    (lhs.direction.rawValue, lhs.argument.description, lhs.location)
      < (rhs.direction.rawValue, rhs.argument.description, rhs.location)
  }

  static func shorter(_ lhs: ObjectReference, than rhs: ObjectReference) -> Bool {
    (lhs.depth, lhs.chain.joined(separator: ",")) < (rhs.depth, rhs.chain.joined(separator: ","))
  }
}

extension FunctionSummaries {
  /// The kernel's reference-count primitives and the argument that designates the count (or
  /// the counted object): lifetime counts only. Usage counts that do not keep an object alive
  /// (runtime PM's `pm_runtime_get*`, a module's `try_module_get`, plain `atomic_inc` on an open
  /// counter) are deliberately absent.
  static let referencePrimitives: [String: (direction: ObjectReference.Direction, argument: Int)] =
    [
      "kref_get": (.get, 0), "kref_get_unless_zero": (.get, 0), "refcount_inc": (.get, 0),
      "refcount_inc_not_zero": (.get, 0), "get_device": (.get, 0), "kobject_get": (.get, 0),
      "kobject_get_unless_zero": (.get, 0), "get_file": (.get, 0), "get_file_rcu": (.get, 0),
      "dget": (.get, 0), "ihold": (.get, 0), "mntget": (.get, 0), "get_task_struct": (.get, 0),
      "of_node_get": (.get, 0), "percpu_ref_get": (.get, 0), "percpu_ref_tryget": (.get, 0),
      "percpu_ref_tryget_live": (.get, 0), "css_get": (.get, 0), "css_tryget": (.get, 0),
      "css_tryget_online": (.get, 0), "sock_hold": (.get, 0), "dev_hold": (.get, 0),
      "netdev_hold": (.get, 0), "pci_dev_get": (.get, 0), "usb_get_dev": (.get, 0),
      "usb_get_intf": (.get, 0), "get_pid": (.get, 0), "get_net": (.get, 0),
      "kref_put": (.put, 0), "kref_put_mutex": (.put, 0), "kref_put_lock": (.put, 0),
      "refcount_dec": (.put, 0), "refcount_dec_and_test": (.put, 0),
      "refcount_dec_and_lock": (.put, 0), "refcount_dec_and_mutex_lock": (.put, 0),
      "put_device": (.put, 0), "kobject_put": (.put, 0), "fput": (.put, 0), "dput": (.put, 0),
      "iput": (.put, 0), "mntput": (.put, 0), "put_task_struct": (.put, 0),
      "of_node_put": (.put, 0), "percpu_ref_put": (.put, 0), "css_put": (.put, 0),
      "sock_put": (.put, 0), "dev_put": (.put, 0), "netdev_put": (.put, 0),
      "pci_dev_put": (.put, 0), "usb_put_dev": (.put, 0), "usb_put_intf": (.put, 0),
      "put_pid": (.put, 0), "put_net": (.put, 0),
    ]

  /// The object a primitive's argument keeps alive: for the address of a member (`&d->ref`,
  /// `&d->a.kref`), the object the member is inside (`d`); for a pointer (`d->dev`), the object it
  /// points to.
  static func countedObject(_ argument: AccessPath) -> AccessPath {
    guard argument.addressOf else { return argument }
    var object = argument
    object.addressOf = false
    // Drop the members reached with `.`; then the one reached with `->`: what remains points to
    // the object holding the count (`&global.ref` is inside `global` itself).
    while let arrow = object.arrows.last, !arrow, let parent = object.parent { object = parent }
    return object.parent ?? object.takingAddress
  }

  /// One function's references from the finished results of its callees (`known`).
  static func references(
    _ function: Located<FunctionDefinition>, index: FactIndex, known: [String: [ObjectReference]]
  ) -> [ObjectReference] {
    let body = function.value
    var result: [ObjectReference] = []
    for call in body.calls {
      if let primitive = referencePrimitives[call.callee], primitive.argument < call.arguments.count
      {
        let argument = PathAlgebra.resolvingLocals(
          call.arguments[primitive.argument], in: body, before: call.location)
        if isTracked(argument) {
          result.append(
            ObjectReference(
              direction: primitive.direction, argument: argument, primitive: call.callee,
              chain: [body.name], location: call.location, depth: 1))
        }
        continue
      }
      guard let callee = index.function(named: call.callee, from: function.path) else { continue }
      for inner in known[callee.key] ?? [] {
        guard
          let mapped = PathAlgebra.substituting(inner.argument, arguments: call.arguments).map({
            PathAlgebra.resolvingLocals($0, in: body, before: call.location)
          }), isTracked(mapped)
        else { continue }
        var entry = inner
        entry.argument = mapped
        entry.chain = [body.name] + inner.chain
        entry.depth = inner.depth + 1
        result.append(entry)
      }
    }
    return result
  }
}
