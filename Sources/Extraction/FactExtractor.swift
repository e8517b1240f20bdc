import CClang
import SeverCore

#if canImport(Glibc)
  import Glibc
#endif

/// Extracts `FileFacts` from one translation unit. This is the module's entry point: a path and
/// arguments in, `Sendable` values out, with every libclang handle disposed before it returns.
public enum FactExtractor {
  /// How many parse errors are kept as individual diagnostics per file; the rest are counted.
  public static let keptErrorsPerFile = 20

  /// Parses `path` and returns facts for every `.c` file the unit contains: the main file first,
  /// then files it includes as `#include "x.c"`, each fact attributed to the file it is written in.
  ///
  /// - Parameters:
  ///   - path: the file to parse, absolute or relative to the working directory.
  ///   - arguments: compile arguments, without a compiler name and without the file.
  ///   - root: paths in the facts are made relative to this directory.
  ///   - unsavedFiles: contents that replace files on disk (absolute path → text).
  public static func extract(
    path: String, arguments: [String], root: String, unsavedFiles: [String: String] = [:]
  ) throws(ExtractionError) -> [FileFacts] {
    let unit = try TranslationUnit(
      path: path, arguments: arguments, root: root, unsavedFiles: unsavedFiles)
    return extract(unit: unit, path: path)
  }

  /// The facts of a parsed unit; `precompiledMacros` is the macro file of the precompiled
  /// header it was parsed over (`PrecompiledMacros`).
  /// `errors` are the unit's error diagnostics when the caller has read them already.
  static func extract(
    unit: TranslationUnit, path: String, precompiledMacros: String? = nil,
    errors: [(SourceLocation?, String)]? = nil
  ) -> [FileFacts] {
    let mainPath = unit.relative(path)
    var byFile: [String: FileFacts] = [mainPath: FileFacts(path: mainPath)]
    let declarations = unit.cursor.children
    var macroExpansions: [SourceLocation: Cursor] = [:]
    for cursor in declarations where cursor.kind == CXCursor_MacroExpansion {
      if let location = unit.location(of: cursor), isSourceFile(location.path) {
        macroExpansions[location] = cursor
      }
    }
    let tables = TableExtractor(
      unit: unit, macroExpansions: macroExpansions,
      macroDefinitions: MacroDefinitions(
        declarations: declarations, precompiledMacros: precompiledMacros))
    let bodies = BodyExtractor(unit: unit)
    var callees: [String: Cursor] = [:]

    for decl in declarations {
      let kind = decl.kind
      guard kind == CXCursor_VarDecl || kind == CXCursor_FunctionDecl,
        let location = unit.location(of: decl), isSourceFile(location.path)
      else { continue }
      var facts = byFile[location.path] ?? FileFacts(path: location.path)
      if kind == CXCursor_VarDecl {
        if decl.isInvalidDeclaration {
          // clang drops the type of a variable whose struct is incomplete; the tokens still say
          // which table it was meant to be.
          if let diagnostic = tables.unresolved(decl) { facts.diagnostics.append(diagnostic) }
          byFile[location.path] = facts
          continue
        }
        // `static struct cftype files[];` forward declarations precede the definition.
        guard decl.isDefinition else { continue }
        let (found, diagnostic) = tables.tables(from: decl)
        facts.tables += found
        if let diagnostic { facts.diagnostics.append(diagnostic) }
      } else {
        guard decl.isDefinition, let body = decl.children.last,
          body.kind == CXCursor_CompoundStmt, let extent = unit.range(of: body)
        else { continue }
        let name = decl.spelling
        let summary = bodies.summarize(decl, body: body, name: name)
        callees.merge(summary.callees) { first, _ in first }
        facts.functions.append(
          FunctionDefinition(
            name: name, location: location, body: extent,
            isStatic: decl.storageClass == CX_SC_Static, parameters: summary.parameters,
            calls: summary.calls, stores: summary.stores, uses: summary.uses,
            conditions: summary.conditions, exits: summary.exits))
        facts.dispatches += summary.dispatches
        facts.registrations += summary.registrations
        if let cutOff = summary.cutOff {
          facts.diagnostics.append(
            ToolDiagnostic(
              kind: .incompleteFacts, path: location.path,
              message:
                "\(name): code nested more than \(BodyExtractor.maximumDepth) levels deep was "
                + "not walked, so calls and stores inside it are missing from the facts",
              location: cutOff))
        }
      }
      byFile[location.path] = facts
    }

    var main = byFile[mainPath] ?? FileFacts(path: mainPath)
    main.functions += headerHelpers(
      called: byFile.values.flatMap(\.functions), callees: callees, unit: unit, bodies: bodies)
    let errors = errors ?? unit.errorDiagnostics()
    main.parseErrorCount = errors.count
    for (location, message) in errors.prefix(keptErrorsPerFile) {
      main.diagnostics.append(
        ToolDiagnostic(
          kind: .parseError, path: mainPath, message: message,
          location: location))
    }
    if errors.count > keptErrorsPerFile {
      main.diagnostics.append(
        ToolDiagnostic(
          kind: .parseError, path: mainPath,
          message: "\(errors.count - keptErrorsPerFile) more parse errors not listed"))
    }
    byFile[mainPath] = main
    // Suppression comments are read from the contents libclang parsed (a patch held in memory
    // included), so every entry point sees the same ones.
    for path in byFile.keys {
      if let bytes = unit.contents(ofFile: path) {
        byFile[path]?.suppressions = Suppression.scan(bytes, path: path)
      }
    }
    let resolved = resolveMiscdeviceRegistrations(Array(byFile.values))
    // The main file first, then included `.c` files by path.
    return resolved.map(\.sorted).sorted {
      ($0.path == mainPath ? 0 : 1, $0.path) < ($1.path == mainPath ? 0 : 1, $1.path)
    }
  }

  /// How many calls deep the `static inline` helpers of headers are followed from the unit's
  /// own functions (`ath11k_sta_to_arsta()` called by a debugfs release, and what it calls).
  static let headerHelperDepth = 2

  /// The `static inline` functions of headers that the unit's functions call, within
  /// `headerHelperDepth` calls: kept with the main file, as the unit sees them, so that what a
  /// handler does through an accessor (`IWL_TRANS_GET_PCIE_TRANS(trans)->…`) is seen. Only
  /// those called are summarised: a kernel unit includes thousands.
  ///
  /// Each is found from the declaration its call names (`callees`, collected by the walks of
  /// the callers' bodies), never by walking the unit's declarations: over a precompiled header
  /// that walk would read every declaration of the header back, which costs more than the
  /// parse it saves.
  static func headerHelpers(
    called functions: [FunctionDefinition], callees: [String: Cursor], unit: TranslationUnit,
    bodies: BodyExtractor
  ) -> [FunctionDefinition] {
    var known = Set(functions.map(\.name))
    var wanted = Set(functions.flatMap { $0.calls.map(\.callee) }).subtracting(known)
    var callees = callees
    var result: [FunctionDefinition] = []
    for _ in 0..<headerHelperDepth where !wanted.isEmpty {
      var found: [FunctionDefinition] = []
      for name in wanted.sorted() {
        guard let decl = callees[name]?.definition, decl.kind == CXCursor_FunctionDecl,
          decl.storageClass == CX_SC_Static, let body = decl.children.last,
          body.kind == CXCursor_CompoundStmt, let extent = unit.range(of: body),
          let location = unit.location(of: decl), !isSourceFile(location.path)
        else { continue }
        let summary = bodies.summarize(decl, body: body, name: name)
        callees.merge(summary.callees) { first, _ in first }
        found.append(
          FunctionDefinition(
            name: name, location: location, body: extent, isStatic: true,
            parameters: summary.parameters, calls: summary.calls, stores: summary.stores,
            uses: summary.uses, conditions: summary.conditions, exits: summary.exits))
      }
      known.formUnion(found.map(\.name))
      wanted = Set(found.flatMap { $0.calls.map(\.callee) }).subtracting(known)
      result += found
    }
    return result
  }

  /// Whether facts at this path belong to a source file (not a header): tables and handlers in
  /// headers are seen once per including file and would be counted many times.
  static func isSourceFile(_ path: String) -> Bool { path.hasSuffix(".c") }

  /// `misc_register(&m)` registers `m.fops`: resolve it where `m` is defined in the same unit.
  private static func resolveMiscdeviceRegistrations(_ files: [FileFacts]) -> [FileFacts] {
    var fopsOf: [String: String] = [:]
    for file in files {
      for table in file.tables where table.kind == .miscdevice {
        if let fops = table.field("fops")?.reference { fopsOf[table.name] = fops }
      }
    }
    return files.map { file in
      var file = file
      file.registrations = file.registrations.map { registration in
        guard let via = registration.via, let fops = fopsOf[via] else { return registration }
        var resolved = registration
        resolved.table = fops
        resolved.tableKind = .fileOperations
        return resolved
      }
      return file
    }
  }
}

extension FileFacts {
  /// The same facts with every list in deterministic source order.
  var sorted: FileFacts {
    var copy = self
    copy.tables.sort { ($0.location, $0.index ?? -1) < ($1.location, $1.index ?? -1) }
    copy.functions.sort { $0.location < $1.location }
    copy.registrations.sort { ($0.location, $0.callee) < ($1.location, $1.callee) }
    copy.dispatches.sort { ($0.location, $0.field) < ($1.location, $1.field) }
    copy.diagnostics.sort()
    return copy
  }
}

extension FactExtractor {
  /// The stack every libclang call of a unit must run on (parse, visits, tokens, disposal):
  /// `extract` and `extractWithDependencies` are to be called on a thread this large.
  ///
  /// clang's parser and semantic analysis recurse once per nesting level, and a level costs
  /// from 250 bytes (`1+1+…` in a global initializer) to 4.4 KiB (a chain of casts) on
  /// Debian's clang 14 (measured by bisecting the stack a parse needs). 512 MiB holds about
  /// 100,000 levels of the most expensive kind and two million of the cheapest; the pages are
  /// only reserved until a deep parse touches them. Nothing bounds the depth of what a 16 MiB
  /// file (or a macro expansion) can nest, so a deeper unit still overflows: that is what
  /// parsing in worker processes contains.
  public static let stackSize = 512 << 20

  /// Sets the process up for parsing: libclang parses on the calling thread (whose stack is
  /// `stackSize`, not the 8 MiB of the thread libclang would start for the parse), with crash
  /// recovery on. Runs once; call it first thing in `main`, before other threads read the
  /// environment (parsing calls it too, for callers that did not).
  public static func prepareProcess() { _ = processSetUp }

  static let processSetUp: Void = {
    // libclang reads LIBCLANG_NOTHREADS at each parse; without it the parse runs on an 8 MiB
    // thread of libclang's own, which a 50,000-term expression overflows.
    setenv("LIBCLANG_NOTHREADS", "1", 1)
    // Crash recovery must stay on: with it a crash inside clang becomes CXError_Crashed and a
    // per-unit diagnostic instead of killing the run (LIBCLANG_DISABLE_CRASH_RECOVERY would
    // turn it off, so it is switched on explicitly).
    clang_toggleCrashRecovery(1)
  }()
}

extension FactExtractor {
  /// The version string of the libclang sever is linked with; it must be Debian's clang 14,
  /// not the Swift toolchain's own libclang.
  public static var clangVersion: String { clang_getClangVersion().consume() }
}

extension FactExtractor {
  /// Like `extract`, and also returns every file the unit read (the main file and each header,
  /// absolute paths, sorted), so a cache can tell when the facts are stale.
  ///
  /// With a `precompiledHeader` (`-include-pch`), the unit is parsed over it first; that parse
  /// is kept only if clang reports no error, otherwise (a header changed since it was built, a
  /// damaged file, a unit that does not mean the same over it) the unit is parsed again without
  /// it, so the facts are always those of a plain parse. The files the precompiled header read
  /// are not among the dependencies then: its builder knows them. `precompiled` says which
  /// parse gave the facts.
  public static func extractWithDependencies(
    path: String, arguments: [String], root: String, unsavedFiles: [String: String] = [:],
    precompiledHeader: String? = nil
  ) throws(ExtractionError) -> (facts: [FileFacts], dependencies: [String], precompiled: Bool) {
    if let precompiledHeader,
      let unit = try? TranslationUnit(
        path: path, arguments: arguments + ["-include-pch", precompiledHeader], root: root,
        unsavedFiles: unsavedFiles, localDeclarationsOnly: true),
      unit.errorDiagnostics().isEmpty
    {
      let facts = extract(
        unit: unit, path: path,
        precompiledMacros: PrecompiledHeaderFiles.macros(of: precompiledHeader), errors: [])
      return (facts, unit.inclusions(), true)
    }
    let unit = try TranslationUnit(
      path: path, arguments: arguments, root: root, unsavedFiles: unsavedFiles)
    let facts = extract(unit: unit, path: path)
    return (facts, unit.inclusions(), false)
  }

  /// Parses the header `header` and saves it as a precompiled header at `output`; returns every
  /// file it read (absolute paths, sorted). A header that does not parse cleanly is not saved:
  /// units parsed over it would fall back to a plain parse every time. Paths in the message
  /// of a failure are relative to `root`.
  public static func precompile(
    header: String, arguments: [String], root: String, output: String
  ) throws(ExtractionError) -> [String] {
    let unit = try TranslationUnit(
      path: header, arguments: ["-x", "c-header"] + arguments, root: root, serializable: true)
    let errors = unit.errorDiagnostics()
    if let (location, message) = errors.first {
      let place = location.map { "\($0.path):\($0.line): " } ?? ""
      throw .notPrecompiled(
        path: header, reason: "\(errors.count) parse errors, the first \(place)\(message)")
    }
    guard unit.save(to: output) else {
      throw .notPrecompiled(path: header, reason: "libclang could not write '\(output)'")
    }
    let macros = PrecompiledHeaderFiles.macros(of: output)
    guard PrecompiledMacros.write(unit.cursor.children, unit: unit, to: macros) else {
      throw .notPrecompiled(path: header, reason: "cannot write '\(macros)'")
    }
    return unit.inclusions()
  }
}

/// The files of a precompiled header: `X.pch` and its macros, `X.pch.macros`.
public enum PrecompiledHeaderFiles {
  /// The macro file (`PrecompiledMacros`) of the precompiled header at `path`.
  public static func macros(of path: String) -> String { path + ".macros" }
}
