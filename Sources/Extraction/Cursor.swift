import CClang

/// A thin wrapper over `CXCursor` with the few queries extraction needs. It never leaves this
/// module: everything is converted to SeverCore values before a translation unit is disposed.
struct Cursor {
  let raw: CXCursor

  init(_ raw: CXCursor) { self.raw = raw }

  /// The names the kernel's macros make with `__COUNTER__`: `__UNIQUE_ID_…`, and the
  /// `__compiletime_assert_N` functions `compiletime_assert` declares and calls when
  /// `__OPTIMIZE__` is defined (`-O2`, in Kbuild's own flags under `make C=1` or a compilation
  /// database).
  static let counterPrefixes = ["__UNIQUE_ID_", "__compiletime_assert_"]

  /// A name one of the kernel's macros made with `__COUNTER__` (`counterPrefixes`), without the
  /// value it ends in. That value depends on how many uses of `__COUNTER__` clang read before,
  /// so on the order headers were included (a `static inline` helper of a header read earlier
  /// or later, or from a precompiled header read first): facts keep the name without it, the
  /// same whatever the order.
  static func withoutCounter(_ name: String) -> String {
    guard let last = name.utf8.last, last >= UInt8(ascii: "0"), last <= UInt8(ascii: "9"),
      counterPrefixes.contains(where: { name.utf8.starts(with: $0.utf8) })
    else { return name }
    var bytes = Array(name.utf8)
    while let byte = bytes.last, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
      bytes.removeLast()
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  var kind: CXCursorKind { clang_getCursorKind(raw) }
  var spelling: String { Self.withoutCounter(clang_getCursorSpelling(raw).consume()) }
  var isNull: Bool { clang_Cursor_isNull(raw) != 0 }
  var isDefinition: Bool { clang_isCursorDefinition(raw) != 0 }
  var isInvalidDeclaration: Bool { clang_isInvalidDeclaration(raw) != 0 }
  var type: CXType { clang_getCursorType(raw) }
  var extent: CXSourceRange { clang_getCursorExtent(raw) }
  var semanticParent: Cursor { Cursor(clang_getCursorSemanticParent(raw)) }
  var linkage: CXLinkageKind { clang_getCursorLinkage(raw) }
  var storageClass: CX_StorageClass { clang_Cursor_getStorageClass(raw) }

  /// The defining declaration of what the cursor declares or refers to, when the unit has it.
  var definition: Cursor? {
    let target = Cursor(clang_getCursorDefinition(raw))
    return target.isNull ? nil : target
  }

  /// What a reference or expression refers to (`DeclRefExpr` → its `FunctionDecl`).
  var referenced: Cursor? {
    let target = Cursor(clang_getCursorReferenced(raw))
    return target.isNull ? nil : target
  }

  /// The direct children, in order. Walks below this are iterative (`BodyExtractor`,
  /// `firstDescendant`), never recursive in the depth of the tree.
  var children: [Cursor] {
    let box = ChildCollector()
    withExtendedLifetime(box) {
      _ = clang_visitChildren(
        raw,
        { child, _, data in
          // The visitor is a C function pointer and cannot capture: the collector comes back
          // through client_data.
          let box = Unmanaged<ChildCollector>.fromOpaque(data!).takeUnretainedValue()
          box.children.append(Cursor(child))
          return CXChildVisit_Continue
        }, Unmanaged.passUnretained(box).toOpaque())
    }
    return box.children
  }

  /// The first descendant (pre-order, self excluded) that satisfies `predicate`. Iterative: an
  /// argument can be a chain of 100,000 `+`, and the walk must not grow the stack with it.
  func firstDescendant(where predicate: (Cursor) -> Bool) -> Cursor? {
    var pending = Array(children.reversed())
    while let cursor = pending.popLast() {
      if predicate(cursor) { return cursor }
      pending += cursor.children.reversed()
    }
    return nil
  }

  /// Strips implicit casts, parentheses and unexposed wrappers that clang puts around values.
  var strippingWrappers: Cursor {
    var current = self
    while current.kind == CXCursor_UnexposedExpr || current.kind == CXCursor_ParenExpr
      || current.kind == CXCursor_CStyleCastExpr
    {
      guard let inner = current.children.last else { break }
      current = inner
    }
    return current
  }
}

/// Collects children for `Cursor.children`; a class so that the C callback can append to it.
private final class ChildCollector {
  var children: [Cursor] = []
}

extension CXType {
  /// The struct tag of a record type after unwrapping arrays, pointers and qualifiers
  /// (`const struct kernfs_ops` → `kernfs_ops`), or nil when the type is not a record.
  var recordTag: String? {
    var type = clang_getCanonicalType(self)
    while true {
      switch type.kind {
      case CXType_ConstantArray, CXType_IncompleteArray, CXType_VariableArray,
        CXType_DependentSizedArray:
        type = clang_getCanonicalType(clang_getArrayElementType(type))
      case CXType_Pointer:
        type = clang_getCanonicalType(clang_getPointeeType(type))
      case CXType_Record:
        let decl = Cursor(clang_getTypeDeclaration(type))
        let name = decl.spelling
        return name.isEmpty ? nil : name
      default:
        return nil
      }
    }
  }

  /// The record tag without following pointers: the type of a table variable itself.
  var declaredRecordTag: String? {
    var type = clang_getCanonicalType(self)
    while [CXType_ConstantArray, CXType_IncompleteArray, CXType_VariableArray].contains(type.kind) {
      type = clang_getCanonicalType(clang_getArrayElementType(type))
    }
    guard type.kind == CXType_Record else { return nil }
    let name = Cursor(clang_getTypeDeclaration(type)).spelling
    return name.isEmpty ? nil : name
  }

  /// Whether the type is an array (a `struct cftype foo[]` table).
  var isArray: Bool {
    [CXType_ConstantArray, CXType_IncompleteArray, CXType_VariableArray].contains(
      clang_getCanonicalType(self).kind)
  }

  /// Whether the record's size is known, i.e. its definition was seen.
  var isComplete: Bool {
    var type = clang_getCanonicalType(self)
    while [CXType_ConstantArray, CXType_IncompleteArray].contains(type.kind) {
      type = clang_getCanonicalType(clang_getArrayElementType(type))
    }
    return clang_Type_getSizeOf(type) >= 0
  }

  /// The names of a record's fields, in declaration order (for positional initializers).
  var fieldNames: [String] {
    var type = clang_getCanonicalType(self)
    while [CXType_ConstantArray, CXType_IncompleteArray].contains(type.kind) {
      type = clang_getCanonicalType(clang_getArrayElementType(type))
    }
    let box = FieldCollector()
    withExtendedLifetime(box) {
      _ = clang_Type_visitFields(
        type,
        { field, data in
          let box = Unmanaged<FieldCollector>.fromOpaque(data!).takeUnretainedValue()
          box.names.append(clang_getCursorSpelling(field).consume())
          return CXVisit_Continue
        }, Unmanaged.passUnretained(box).toOpaque())
    }
    return box.names
  }
}

/// Collects field names for `CXType.fieldNames`.
private final class FieldCollector {
  var names: [String] = []
}
