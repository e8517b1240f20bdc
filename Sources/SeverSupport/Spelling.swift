/// "Did you mean …?": the closest of a set of known words to a mistyped one, by edit distance.
public enum Spelling {
  /// The known word nearest to `word`, when one is close enough to be a likely typo (at most a
  /// third of the longer word's characters differ); ties go to the alphabetically first.
  public static func nearest(to word: String, in known: some Sequence<String>) -> String? {
    let target = Array(word)
    var best: (distance: Int, word: String)?
    for candidate in known.sorted() {
      let distance = editDistance(target, Array(candidate))
      let limit = max(2, max(target.count, candidate.count) / 3)
      guard distance <= limit else { continue }
      if best == nil || distance < best!.distance { best = (distance, candidate) }
    }
    return best?.word
  }

  /// `unknown 'x'; did you mean 'y'?` or `unknown 'x'`, for messages.
  public static func suggestion(for word: String, in known: some Sequence<String>) -> String {
    nearest(to: word, in: known).map { "; did you mean '\($0)'?" } ?? ""
  }

  /// Levenshtein distance: insertions, deletions and substitutions each cost one.
  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
