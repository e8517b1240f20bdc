import SeverCore

extension FactIndex {
  /// Whether a `NULL` requirement can hold for objects of one table: `!(t->of)` cannot when
  /// every store into `psi_trigger.of` reachable from the table's handlers writes the
  /// handler's own `of`, which kernfs never passes as NULL. Returns nil when undecided.
  func canHold(_ requirement: NullRequirement, reachable: Set<String>) -> Bool? {
    guard requirement.mustBeNull else {
      // "must be non-NULL" guards (`if (t->of)`) are not what hides a head; assume they hold.
      return true
    }
    if requirement.path.fields.isEmpty {
      return requirement.path.root == "@kernfs_open_file" ? false : nil
    }
    guard let field = requirement.path.fields.last, let tag = requirement.path.recordTags.last,
      !tag.isEmpty
    else { return nil }
    let stores = self.stores(intoField: field, ofStruct: tag).filter {
      reachable.contains($0.function.key)
    }
    // Never written on this table's paths: the object keeps its zeroed allocation.
    if stores.isEmpty { return true }
    // Each store alone says whether it can leave the pointer NULL; one that can decides, else
    // one that cannot be told leaves the answer open. Combined like this, the answer does not
    // depend on the order of the stores.
    let verdicts = stores.map { function, store -> Bool? in
      let value = PathAlgebra.resolvingLocals(
        store.value, in: function.value, before: store.location)
      if value.isNull { return true }
      guard value.rootKind == .parameter, value.fields.isEmpty, let index = value.parameterIndex,
        function.value.parameters[index].recordTag == "kernfs_open_file"
      else { return nil }
      return !passesOwnOpenFile(to: function, index: index, reachable: reachable)
    }
    if verdicts.contains(true) { return true }
    if verdicts.contains(nil) { return nil }
    return false
  }

  /// Whether every call reachable from the table passes a handler's own `of` at `index`
  /// (never NULL); false when some call passes NULL or something else.
  private func passesOwnOpenFile(
    to function: Located<FunctionDefinition>, index: Int, reachable: Set<String>
  ) -> Bool {
    let sites = callSites(of: function.value.name).filter { reachable.contains($0.caller.key) }
    guard !sites.isEmpty else { return false }
    return sites.allSatisfy { site in
      guard index < site.call.arguments.count else { return false }
      let argument = PathAlgebra.resolvingLocals(
        site.call.arguments[index], in: site.caller.value, before: site.call.location)
      guard argument.rootKind == .parameter, argument.fields.isEmpty,
        let position = argument.parameterIndex
      else { return false }
      return site.caller.value.parameters[position].recordTag == "kernfs_open_file"
    }
  }
}
