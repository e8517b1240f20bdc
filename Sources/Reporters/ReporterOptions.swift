/// What the environment adds to a rendering: whether standard output is a terminal, which lines
/// a change touched, and the annotation limits of GitHub.
public struct ReporterOptions: Sendable, Hashable {
  /// Whether to colour the text output with ANSI escapes; true only when standard output is a
  /// TTY (and `NO_COLOR` is unset), which the CLI decides.
  public var colorize: Bool
  /// Lines the change under review touched; GitHub annotations on them come first.
  public var changedLines: ChangedLines
  /// How many annotations GitHub shows.
  public var annotationLimits: AnnotationLimits
  /// A page about sever, written into SARIF's `informationUri` when set.
  public var informationURI: String?
  /// Whether the text format ends with the summary and coverage lines (not for `make C=1`,
  /// which calls sever once per object).
  public var summary: Bool
  /// Whether text and GitHub annotations print every note and the model's whole counterexample
  /// (`--trace`); by default they print the notes that locate the cause and the fix. JSON and
  /// SARIF always carry everything.
  public var trace: Bool

  /// Creates options; the defaults suit a plain, uncoloured run.
  public init(
    colorize: Bool = false, changedLines: ChangedLines = ChangedLines(),
    annotationLimits: AnnotationLimits = .github, informationURI: String? = nil,
    summary: Bool = true, trace: Bool = false
  ) {
    self.summary = summary
    self.trace = trace
    self.colorize = colorize
    self.changedLines = changedLines
    self.annotationLimits = annotationLimits
    self.informationURI = informationURI
  }
}

/// GitHub's display limits for workflow-command annotations.
public struct AnnotationLimits: Sendable, Hashable {
  /// Annotations shown per level (error, warning, notice) per step.
  public var perLevel: Int
  /// Annotations shown per job.
  public var perJob: Int

  /// Creates limits.
  public init(perLevel: Int, perJob: Int) {
    self.perLevel = perLevel
    self.perJob = perJob
  }

  /// GitHub's documented limits: 10 per level per step, 50 per job.
  public static let github = AnnotationLimits(perLevel: 10, perJob: 50)
}
