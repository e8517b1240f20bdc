import CClang
import SeverCore

#if canImport(Glibc)
  import Glibc
#endif

/// One parsed C file. Owns its `CXIndex` and `CXTranslationUnit` and disposes of both; it is
/// created, used and destroyed inside one synchronous call so that nothing of libclang crosses
/// threads (libclang's thread safety is per translation unit, style.md §2.6).
final class TranslationUnit {
  let index: CXIndex
  let unit: CXTranslationUnit
  /// The directory paths are made relative to; absolute paths outside it stay absolute.
  let root: String
  private var fileNames: [UnsafeMutableRawPointer: String] = [:]

  /// Parses `path` with `arguments` (without the file name and without a compiler argv[0]).
  /// `unsavedFiles` maps absolute paths to contents that replace the files on disk. A
  /// `serializable` unit is a header parsed to be saved as a precompiled header (`save(to:)`);
  /// a unit parsed over one (`-include-pch`) lists only its `localDeclarationsOnly` among its
  /// cursor's children, not the header's.
  init(
    path: String, arguments: [String], root: String, unsavedFiles: [String: String] = [:],
    serializable: Bool = false, localDeclarationsOnly: Bool = false
  ) throws(ExtractionError) {
    _ = FactExtractor.processSetUp
    FaultInjection.apply(path: path)
    guard let index = clang_createIndex(localDeclarationsOnly ? 1 : 0, 0) else {
      throw .parseFailed(path: path, code: -1)
    }
    self.index = index
    self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
    var options =
      CXTranslationUnit_KeepGoing.rawValue | CXTranslationUnit_DetailedPreprocessingRecord.rawValue
    if serializable {
      options |= CXTranslationUnit_Incomplete.rawValue | CXTranslationUnit_ForSerialization.rawValue
    }
    var tu: CXTranslationUnit?
    let code = Self.withCStrings(arguments) { argv in
      Self.withUnsavedFiles(unsavedFiles) { unsaved, count in
        clang_parseTranslationUnit2(
          index, path, argv, Int32(arguments.count), unsaved, UInt32(count), options, &tu)
      }
    }
    guard code == CXError_Success, let tu else {
      clang_disposeIndex(index)
      if code == CXError_Crashed { throw .crashed(path: path) }
      throw .parseFailed(path: path, code: Int(code.rawValue))
    }
    unit = tu
  }

  deinit {
    clang_disposeTranslationUnit(unit)
    clang_disposeIndex(index)
  }

  var cursor: Cursor { Cursor(clang_getTranslationUnitCursor(unit)) }

  /// Writes the unit as an AST file (a precompiled header for `-include-pch`); returns whether
  /// libclang wrote it.
  func save(to path: String) -> Bool {
    clang_saveTranslationUnit(unit, path, clang_defaultSaveOptions(unit))
      == CXSaveError_None.rawValue
  }

  /// The file (relative to the root) and 1-based line/column where `location` is expanded:
  /// for a table made by `DEFINE_SHOW_ATTRIBUTE(foo)`, the line of the macro use.
  func expansionLocation(_ location: CXSourceLocation) -> SourceLocation? {
    var file: CXFile?
    var line: UInt32 = 0
    var column: UInt32 = 0
    clang_getExpansionLocation(location, &file, &line, &column, nil)
    guard let file else { return nil }
    return SourceLocation(path: name(of: file), line: Int(line), column: Int(column))
  }

  /// Where the cursor starts, as an expansion location.
  func location(of cursor: Cursor) -> SourceLocation? {
    expansionLocation(clang_getCursorLocation(cursor.raw))
  }

  /// Whether the cursor's location is inside a macro expansion.
  func isInMacroExpansion(_ cursor: Cursor) -> Bool {
    var expansionFile: CXFile?
    var expansionOffset: UInt32 = 0
    var spellingFile: CXFile?
    var spellingOffset: UInt32 = 0
    let loc = clang_getCursorLocation(cursor.raw)
    clang_getExpansionLocation(loc, &expansionFile, nil, nil, &expansionOffset)
    clang_getSpellingLocation(loc, &spellingFile, nil, nil, &spellingOffset)
    return expansionFile != spellingFile || expansionOffset != spellingOffset
  }

  /// The range of the cursor in expansion locations.
  func range(of cursor: Cursor) -> SourceRange? {
    let extent = cursor.extent
    guard let start = expansionLocation(clang_getRangeStart(extent)),
      let end = expansionLocation(clang_getRangeEnd(extent))
    else { return nil }
    return SourceRange(start: start, end: end)
  }

  /// The spelled tokens of the cursor's extent, joined with single spaces where C needs them.
  func text(of cursor: Cursor, limit: Int = 120) -> String? {
    tokens(in: cursor.extent, limit: limit)
  }

  /// The tokens of a range, joined as `text(of:)` does; nil when the range holds none.
  ///
  /// Only the first `limit` characters are kept, so only a prefix of a long range is
  /// tokenized (a condition can span megabytes, and every enclosing expression asks for its
  /// text): the prefix grows until the joined text passes the limit before its last token,
  /// which the cut may have split, or until it covers the whole range.
  func tokens(in range: CXSourceRange, limit: Int = 120) -> String? {
    var bytes = UInt32(4 * limit + 64)
    while true {
      let (prefix, isWhole) = self.prefix(of: range, bytes: bytes)
      var spellings = tokenSpellings(in: prefix)
      if !isWhole { spellings.removeLast(min(1, spellings.count)) }
      let (text, isTruncated) = Self.join(spellings, limit: limit)
      if isWhole || isTruncated { return text }
      bytes = bytes > UInt32.max / 4 ? UInt32.max : bytes * 4
    }
  }

  /// The first `count` tokens of a range (fewer when it holds fewer), tokenizing a prefix that
  /// grows as `tokens(in:limit:)`'s does.
  func firstTokens(in range: CXSourceRange, count: Int) -> [String] {
    var bytes = UInt32(16 * count + 64)
    while true {
      let (prefix, isWhole) = self.prefix(of: range, bytes: bytes)
      var spellings = tokenSpellings(in: prefix)
      if !isWhole { spellings.removeLast(min(1, spellings.count)) }
      if isWhole || spellings.count >= count { return Array(spellings.prefix(count)) }
      bytes = bytes > UInt32.max / 4 ? UInt32.max : bytes * 4
    }
  }

  /// Spellings joined with single spaces where C needs them, cut after `limit` characters.
  private static func join(_ spellings: [String], limit: Int) -> (String?, truncated: Bool) {
    guard !spellings.isEmpty else { return (nil, false) }
    var out = ""
    for spelling in spellings {
      if let last = out.last, spelling.first.map(Self.isWordCharacter) == true,
        Self.isWordCharacter(last)
      {
        out += " "
      }
      out += spelling
      if out.count > limit { return (String(out.prefix(limit)) + "…", true) }
    }
    return (out, false)
  }

  /// The first `bytes` bytes of a range, and whether that is all of it. A range whose ends
  /// lie in different files is returned whole (libclang tokenizes nothing in it).
  func prefix(of range: CXSourceRange, bytes: UInt32) -> (CXSourceRange, isWhole: Bool) {
    var startFile: CXFile?
    var endFile: CXFile?
    var start: UInt32 = 0
    var end: UInt32 = 0
    clang_getSpellingLocation(clang_getRangeStart(range), &startFile, nil, nil, &start)
    clang_getSpellingLocation(clang_getRangeEnd(range), &endFile, nil, nil, &end)
    guard let startFile, clang_File_isEqual(startFile, endFile) != 0, end > start,
      end - start > bytes
    else { return (range, true) }
    let cut = clang_getRange(
      clang_getLocationForOffset(unit, startFile, start),
      clang_getLocationForOffset(unit, startFile, start + bytes))
    return (cut, false)
  }

  /// Error-level diagnostics, as (location, message).
  func errorDiagnostics() -> [(SourceLocation?, String)] {
    var result: [(SourceLocation?, String)] = []
    let count = clang_getNumDiagnostics(unit)
    for i in 0..<count {
      guard let diagnostic = clang_getDiagnostic(unit, i) else { continue }
      defer { clang_disposeDiagnostic(diagnostic) }
      let severity = clang_getDiagnosticSeverity(diagnostic)
      guard severity == CXDiagnostic_Error || severity == CXDiagnostic_Fatal else { continue }
      let message = clang_getDiagnosticSpelling(diagnostic).consume()
      let location = expansionLocation(clang_getDiagnosticLocation(diagnostic))
      result.append((location, message))
    }
    return result
  }

  /// Makes an absolute path relative to the root; a path outside the root stays as it is.
  func relative(_ path: String) -> String {
    let normalized = path.split(separator: "/", omittingEmptySubsequences: false)
      .filter { $0 != "." }.joined(separator: "/")
    if normalized.hasPrefix(root + "/") { return String(normalized.dropFirst(root.count + 1)) }
    return normalized
  }

  private func name(of file: CXFile) -> String {
    if let known = fileNames[file] { return known }
    let name = relative(clang_getFileName(file).consume())
    fileNames[file] = name
    return name
  }

  static func isWordCharacter(_ c: Character) -> Bool {
    c.isLetter || c.isNumber || c == "_"
  }

  private static func withCStrings<R>(
    _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R
  ) -> R {
    let pointers = strings.map { UnsafePointer(strdup($0)) }
    defer { for pointer in pointers { free(UnsafeMutablePointer(mutating: pointer)) } }
    return pointers.withUnsafeBufferPointer { buffer in
      // An empty argument list still needs a valid base address.
      guard let base = buffer.baseAddress else {
        var empty: UnsafePointer<CChar>? = nil
        return body(&empty)
      }
      return body(base)
    }
  }

  private static func withUnsavedFiles<R>(
    _ files: [String: String], _ body: (UnsafeMutablePointer<CXUnsavedFile>?, Int) -> R
  ) -> R {
    guard !files.isEmpty else { return body(nil, 0) }
    var names: [UnsafeMutablePointer<CChar>] = []
    var contents: [UnsafeMutablePointer<CChar>] = []
    var unsaved: [CXUnsavedFile] = []
    for (name, text) in files.sorted(by: { $0.key < $1.key }) {
      let n = strdup(name)!
      let c = strdup(text)!
      names.append(n)
      contents.append(c)
      unsaved.append(
        CXUnsavedFile(Filename: n, Contents: c, Length: UInt(strlen(c))))
    }
    defer {
      for pointer in names + contents { free(pointer) }
    }
    return unsaved.withUnsafeMutableBufferPointer { body($0.baseAddress, $0.count) }
  }
}

extension TranslationUnit {
  /// The cursor at a file's line and column (1-based; the file absolute), if the unit read it.
  func cursor(atFile path: String, line: Int, column: Int) -> Cursor? {
    guard let file = clang_getFile(unit, path) else { return nil }
    let location = clang_getLocation(unit, file, UInt32(line), UInt32(column))
    let found = Cursor(clang_getCursor(unit, location))
    return found.isNull ? nil : found
  }

  /// Where a cursor is spelled: its file's absolute name, line and column (1-based).
  func spellingPlace(of cursor: Cursor) -> (path: String, line: Int, column: Int)? {
    var file: CXFile?
    var line: UInt32 = 0
    var column: UInt32 = 0
    clang_getSpellingLocation(clang_getCursorLocation(cursor.raw), &file, &line, &column, nil)
    guard let file else { return nil }
    return (clang_getFileName(file).consume(), Int(line), Int(column))
  }
}

extension TranslationUnit {
  /// The identifier token at a location, such as the macro name at a macro's expansion point.
  func identifier(at location: SourceLocation) -> String? {
    let path = location.path.hasPrefix("/") ? location.path : root + "/" + location.path
    guard let file = clang_getFile(unit, path) else { return nil }
    let start = clang_getLocation(unit, file, UInt32(location.line), UInt32(location.column))
    let end = clang_getLocation(unit, file, UInt32(location.line), UInt32(location.column + 64))
    var tokens: UnsafeMutablePointer<CXToken>?
    var count: UInt32 = 0
    clang_tokenize(unit, clang_getRange(start, end), &tokens, &count)
    guard let tokens, count > 0 else { return nil }
    defer { clang_disposeTokens(unit, tokens, count) }
    guard clang_getTokenKind(tokens[0]) == CXToken_Identifier else { return nil }
    return clang_getTokenSpelling(unit, tokens[0]).consume()
  }
}

extension TranslationUnit {
  /// The spellings of the tokens that follow a cursor's location, up to `maximumBytes` into the
  /// file. The location is where the cursor is spelled when that is inside a macro body.
  func tokens(startingAt cursor: Cursor, maximumBytes: UInt32, atExpansion: Bool = false)
    -> [String]
  {
    let location = clang_getCursorLocation(cursor.raw)
    var file: CXFile?
    var offset: UInt32 = 0
    if !atExpansion && isInMacroExpansion(cursor) {
      clang_getSpellingLocation(location, &file, nil, nil, &offset)
    } else {
      clang_getExpansionLocation(location, &file, nil, nil, &offset)
    }
    guard let file else { return [] }
    return tokenSpellings(in: file, from: offset, bytes: maximumBytes)
  }

  /// The spellings of the tokens in `bytes` bytes of `file` from `offset`.
  func tokenSpellings(in file: CXFile, from offset: UInt32, bytes: UInt32) -> [String] {
    var size = 0
    _ = clang_getFileContents(unit, file, &size)
    let end = min(UInt32(size), offset + bytes)
    guard end > offset else { return [] }
    return tokenSpellings(
      in: clang_getRange(
        clang_getLocationForOffset(unit, file, offset), clang_getLocationForOffset(unit, file, end))
    )
  }
}

extension TranslationUnit {
  /// The spellings of every token in a range, such as a macro definition's.
  func tokenSpellings(in range: CXSourceRange) -> [String] {
    var tokens: UnsafeMutablePointer<CXToken>?
    var count: UInt32 = 0
    clang_tokenize(unit, range, &tokens, &count)
    guard let tokens, count > 0 else { return [] }
    defer { clang_disposeTokens(unit, tokens, count) }
    return (0..<Int(count)).map { clang_getTokenSpelling(unit, tokens[$0]).consume() }
  }
}

extension TranslationUnit {
  /// The first token of a cursor's extent (the operator of a prefix unary expression).
  func firstToken(of cursor: Cursor) -> String? {
    tokenSpellings(at: clang_getRangeStart(cursor.extent), bytes: 2).first
  }

  /// The operator token right after a binary operator's left operand (`=`, `==`, `+`).
  func operatorSpelling(after lhs: Cursor) -> String? {
    tokenSpellings(at: clang_getRangeEnd(lhs.extent), bytes: 3).first
  }

  /// The tokens in the `bytes` bytes at a location's expansion point.
  private func tokenSpellings(at location: CXSourceLocation, bytes: UInt32) -> [String] {
    var file: CXFile?
    var offset: UInt32 = 0
    clang_getExpansionLocation(location, &file, nil, nil, &offset)
    guard let file else { return [] }
    return tokenSpellings(in: file, from: offset, bytes: bytes)
  }

}

extension TranslationUnit {
  /// The contents libclang read for a file of the unit (relative to the root, or absolute):
  /// the unsaved contents when the file was given in memory.
  func contents(ofFile path: String) -> [UInt8]? {
    let absolute = path.hasPrefix("/") ? path : root + "/" + path
    guard let file = clang_getFile(unit, absolute) else { return nil }
    var size = 0
    guard let pointer = clang_getFileContents(unit, file, &size) else { return nil }
    return pointer.withMemoryRebound(to: UInt8.self, capacity: size) {
      Array(UnsafeBufferPointer(start: $0, count: size))
    }
  }
}

extension TranslationUnit {
  /// Every file the unit read, as absolute paths, sorted.
  func inclusions() -> [String] {
    let box = InclusionCollector()
    withExtendedLifetime(box) {
      clang_getInclusions(
        unit,
        { file, _, _, data in
          guard let file, let data else { return }
          let box = Unmanaged<InclusionCollector>.fromOpaque(data).takeUnretainedValue()
          box.paths.insert(clang_getFileName(file).consume())
        }, Unmanaged.passUnretained(box).toOpaque())
    }
    return box.paths.sorted()
  }
}

/// Collects file names for `TranslationUnit.inclusions`.
private final class InclusionCollector {
  var paths: Set<String> = []
}
