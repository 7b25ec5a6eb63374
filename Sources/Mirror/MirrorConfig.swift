/// What a mirror run does: the host mappings and the tagging choices.
public struct MirrorConfig: Equatable, Sendable {
  /// The domain mappings (at least one).
  public var hosts: [HostMapping]
  /// Whether changed resources get `krm-mirror.dev/original-hosts` and
  /// `krm-mirror.dev/host-map`.
  public var provenance: Bool

  /// Creates a configuration.
  public init(hosts: [HostMapping], provenance: Bool = true) {
    self.hosts = hosts
    self.provenance = provenance
  }
}

/// A configuration problem: the field it is in, what is wrong, and the line
/// of the configuration where the field is (when it came from YAML).
public struct ConfigError: Error, Equatable, Sendable {
  /// Path of the field, e.g. `spec.hosts[0].to` or `data.from`.
  public var field: String
  /// What is wrong.
  public var message: String
  /// 1-based line in the configuration's source, when known.
  public var line: Int?

  /// Creates a configuration error.
  public init(field: String, message: String, line: Int? = nil) {
    self.field = field
    self.message = message
    self.line = line
  }

  /// `field: message (line N)`.
  public var description: String { "\(field): \(messageWithLine)" }

  /// `message (line N)`, for reports that name the field elsewhere.
  public var messageWithLine: String {
    line.map { "\(message) (line \($0))" } ?? message
  }
}
