public import KRM

/// What a run does: the host mappings and the choices of every step.
///
/// The typed kinds and the ConfigMap form all decode into this; ``steps``
/// says which parts of the pipeline the kind runs.
public struct MirrorConfig: Equatable, Sendable {
  /// The parts of the pipeline.
  public struct Steps: OptionSet, Sendable, Hashable {
    /// The raw bits.
    public let rawValue: UInt8
    /// Creates steps from bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Rewrite hosts in the field table, user fields and (with `text`) free text.
    public static let replaceHosts = Steps(rawValue: 1)
    /// TLS host coverage, secret names, cluster issuer.
    public static let syncTLS = Steps(rawValue: 2)
    /// Provenance, extra annotations and labels.
    public static let tag = Steps(rawValue: 4)
    /// Report source-domain references left over.
    public static let checkLeaks = Steps(rawValue: 8)
    /// Everything: the `Mirror` kind.
    public static let all: Steps = [.replaceHosts, .syncTLS, .tag, .checkLeaks]
  }

  /// How to treat leftovers.
  public enum LeakPolicy: String, Sendable, CaseIterable {
    /// Do not look.
    case ignore
    /// Report each as a warning.
    case warn
    /// Report each as an error (exit 1).
    case error
  }

  /// What happens to TLS secret names that embed a source domain.
  public enum SecretNames: String, Sendable, CaseIterable {
    /// Leave them as they are.
    case keep
    /// Apply the mapping to them (dotted or dashed form), everywhere referenced.
    case rename
  }

  /// Which resources get `tag.annotations` and `tag.labels`.
  public enum TagScope: String, Sendable, CaseIterable {
    /// Resources the run changed.
    case changed
    /// Every selected resource.
    case all
  }

  /// A user-declared host-bearing field.
  public struct Field: Equatable, Sendable {
    /// Exact apiVersion to match, or nil for any.
    public var apiVersion: String?
    /// Kind to match, or nil for any.
    public var kind: String?
    /// Where the value is.
    public var path: FieldPath
    /// How hosts are written there (`host`, `url`, `list`, `text`); one
    /// label-boundary matcher reads all of them.
    public var format: String

    /// Creates a field declaration.
    public init(apiVersion: String? = nil, kind: String? = nil, path: FieldPath, format: String) {
      self.apiVersion = apiVersion
      self.kind = kind
      self.path = path
      self.format = format
    }
  }

  /// The domain mappings (at least one).
  public var hosts: [HostMapping]
  /// The steps this configuration runs.
  public var steps: Steps = .all
  /// Add rewritten rule hosts that no TLS entry covers to the Ingress's TLS.
  public var coverRuleHosts = true
  /// TLS secret names.
  public var secretNames: SecretNames = .keep
  /// When non-empty, the cert-manager cluster issuer for mirrored resources.
  public var clusterIssuer = ""
  /// Provenance annotations on changed resources.
  public var provenance = true
  /// Extra annotations for tagged resources.
  public var tagAnnotations: [(String, String)] = []
  /// Extra labels (metadata.labels only) for tagged resources.
  public var tagLabels: [(String, String)] = []
  /// Which resources get the extra annotations and labels.
  public var tagScope: TagScope = .changed
  /// Also rewrite hosts inside any string scalar.
  public var text = false
  /// Extra host-bearing fields.
  public var fields: [Field] = []
  /// Leftover policy.
  public var leaks: LeakPolicy = .warn
  /// Resources to process (OR of selectors); empty means all.
  public var selectors: [ResourceSelector] = []
  /// Resources to leave alone (OR of selectors).
  public var exclude: [ResourceSelector] = []

  /// Creates a configuration with the contract's defaults.
  public init(hosts: [HostMapping], provenance: Bool = true) {
    self.hosts = hosts
    self.provenance = provenance
  }

  /// A copy that shares no storage with this one (arrays and strings
  /// rebuilt): a thread of its own gets one, so that reference counting on
  /// shared buffers does not bounce a cache line between the cores.
  func copied() -> MirrorConfig {
    func fresh(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }
    var copy = self
    copy.hosts = hosts.compactMap { try? HostMapping(from: fresh($0.from), to: fresh($0.to)) }
    copy.clusterIssuer = fresh(clusterIssuer)
    copy.tagAnnotations = tagAnnotations.map { (fresh($0.0), fresh($0.1)) }
    copy.tagLabels = tagLabels.map { (fresh($0.0), fresh($0.1)) }
    copy.fields = fields.map { field in
      var field = field
      field.path = FieldPath(fresh(field.path.description)) ?? field.path
      return field
    }
    copy.selectors = selectors.map { $0 }
    copy.exclude = exclude.map { $0 }
    return copy
  }

  /// Equality, with the ordered key/value lists compared pairwise.
  public static func == (lhs: MirrorConfig, rhs: MirrorConfig) -> Bool {
    lhs.hosts == rhs.hosts && lhs.steps == rhs.steps && lhs.coverRuleHosts == rhs.coverRuleHosts
      && lhs.secretNames == rhs.secretNames && lhs.clusterIssuer == rhs.clusterIssuer
      && lhs.provenance == rhs.provenance
      && lhs.tagAnnotations.elementsEqual(rhs.tagAnnotations, by: ==)
      && lhs.tagLabels.elementsEqual(rhs.tagLabels, by: ==) && lhs.tagScope == rhs.tagScope
      && lhs.text == rhs.text && lhs.fields == rhs.fields && lhs.leaks == rhs.leaks
      && lhs.selectors == rhs.selectors && lhs.exclude == rhs.exclude
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
