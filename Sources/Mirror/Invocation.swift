/// What the command line asked for, already split into options.
public struct Invocation: Equatable, Sendable {
  /// `--from`.
  public var from: String?
  /// `--to`.
  public var to: String?
  /// Each `--host FROM=TO`.
  public var hostPairs: [String]
  /// `--config FILE`.
  public var configFile: String?
  /// A positional argument: kustomize's legacy exec plugin passes its
  /// configuration file as the first argument.
  public var pluginConfigFile: String?
  /// `--verbose`: report every result on stderr in filter mode.
  public var verbose: Bool
  /// The remaining `Mirror` settings as flags, by ConfigMap key (`leaks`,
  /// `text`, `cluster-issuer`, `secret-names`, `cover-rule-hosts`,
  /// `tag-scope`), plus `tag-annotation`/`tag-label` pairs.
  public var settings: [(String, String)]

  /// Creates an invocation.
  public init(
    from: String? = nil, to: String? = nil, hostPairs: [String] = [], configFile: String? = nil,
    pluginConfigFile: String? = nil, verbose: Bool = false, settings: [(String, String)] = []
  ) {
    self.from = from
    self.to = to
    self.hostPairs = hostPairs
    self.configFile = configFile
    self.pluginConfigFile = pluginConfigFile
    self.verbose = verbose
    self.settings = settings
  }

  /// Equality, with settings compared pairwise.
  public static func == (lhs: Invocation, rhs: Invocation) -> Bool {
    lhs.from == rhs.from && lhs.to == rhs.to && lhs.hostPairs == rhs.hostPairs
      && lhs.configFile == rhs.configFile && lhs.pluginConfigFile == rhs.pluginConfigFile
      && lhs.verbose == rhs.verbose && lhs.settings.elementsEqual(rhs.settings, by: ==)
  }
}

/// What a run produced: the bytes for stdout (written only when the run
/// allows), the text for stderr, and the exit status.
public struct Outcome: Equatable, Sendable {
  /// Exit statuses (SPEC §4.4).
  public enum Status: Int32, Sendable {
    /// Success.
    case success = 0
    /// A result of severity error, a configuration error or malformed input.
    case failure = 1
    /// A command-line usage error.
    case usage = 2
  }

  /// Bytes for stdout; empty when nothing may be written.
  public var stdout: [UInt8]
  /// Text for stderr.
  public var stderr: String
  /// The exit status.
  public var status: Status

  /// Creates an outcome.
  public init(stdout: [UInt8], stderr: String, status: Status) {
    self.stdout = stdout
    self.stderr = stderr
    self.status = status
  }
}
