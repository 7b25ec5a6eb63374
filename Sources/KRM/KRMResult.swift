public import YAMLSplice

/// One entry of a ResourceList's `results`, as the KRM functions
/// specification defines it.
public struct KRMResult: Equatable, Sendable {
  /// How bad a result is.
  public enum Severity: String, Sendable, Comparable {
    /// Something was done or found; nothing is wrong.
    case info
    /// Worth a look; the run still succeeds.
    case warning
    /// The run fails (exit 1).
    case error

    private var rank: Int {
      switch self {
      case .info: 0
      case .warning: 1
      case .error: 2
      }
    }

    /// Orders info < warning < error.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
  }

  /// The resource a result is about.
  public struct ResourceRef: Equatable, Sendable {
    /// `apiVersion` of the resource.
    public var apiVersion: String
    /// `kind` of the resource.
    public var kind: String
    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace`, when set.
    public var namespace: String?

    /// Creates a reference.
    public init(apiVersion: String, kind: String, name: String, namespace: String? = nil) {
      self.apiVersion = apiVersion
      self.kind = kind
      self.name = name
      self.namespace = namespace
    }
  }

  /// The field a result is about.
  public struct Field: Equatable, Sendable {
    /// Path such as `spec.rules[1].host`.
    public var path: String
    /// The value before the function ran.
    public var currentValue: String?
    /// The value the function wrote or suggests.
    public var proposedValue: String?

    /// Creates a field reference.
    public init(path: String, currentValue: String? = nil, proposedValue: String? = nil) {
      self.path = path
      self.currentValue = currentValue
      self.proposedValue = proposedValue
    }
  }

  /// The file a resource came from (kpt's path annotations).
  public struct File: Equatable, Sendable {
    /// Slash-separated path relative to the package.
    public var path: String
    /// Index of the document in that file.
    public var index: Int?

    /// Creates a file reference.
    public init(path: String, index: Int? = nil) {
      self.path = path
      self.index = index
    }
  }

  /// Human-readable text.
  public var message: String
  /// Severity; always written.
  public var severity: Severity
  /// The resource, when the result is about one.
  public var resourceRef: ResourceRef?
  /// The field, when the result is about one.
  public var field: Field?
  /// The source file, when known.
  public var file: File?

  /// Creates a result.
  public init(
    message: String, severity: Severity, resourceRef: ResourceRef? = nil, field: Field? = nil,
    file: File? = nil
  ) {
    self.message = message
    self.severity = severity
    self.resourceRef = resourceRef
    self.field = field
    self.file = file
  }

  /// The result as YAML, keys in the specification's order.
  public var fragment: YAMLFragment {
    var entries: [(String, YAMLFragment)] = [
      ("message", .scalar(message)), ("severity", .scalar(severity.rawValue)),
    ]
    if let resourceRef {
      var ref: [(String, YAMLFragment)] = [
        ("apiVersion", .scalar(resourceRef.apiVersion)), ("kind", .scalar(resourceRef.kind)),
        ("name", .scalar(resourceRef.name)),
      ]
      if let namespace = resourceRef.namespace { ref.append(("namespace", .scalar(namespace))) }
      entries.append(("resourceRef", .mapping(ref)))
    }
    if let field {
      var fieldEntries: [(String, YAMLFragment)] = [("path", .scalar(field.path))]
      if let current = field.currentValue {
        fieldEntries.append(("currentValue", .scalar(current)))
      }
      if let proposed = field.proposedValue {
        fieldEntries.append(("proposedValue", .scalar(proposed)))
      }
      entries.append(("field", .mapping(fieldEntries)))
    }
    if let file {
      var fileEntries: [(String, YAMLFragment)] = [("path", .scalar(file.path))]
      if let index = file.index { fileEntries.append(("index", .integer(index))) }
      entries.append(("file", .mapping(fileEntries)))
    }
    return .mapping(entries)
  }

  /// One line for a terminal, in kpt's shape:
  /// `[severity] apiVersion/Kind/namespace/name field.path: message`.
  public var line: String {
    var text = "[\(severity.rawValue)]"
    if let ref = resourceRef {
      text += " \(ref.apiVersion)/\(ref.kind)/"
      if let namespace = ref.namespace { text += "\(namespace)/" }
      text += ref.name
    }
    if let field { text += " \(field.path)" }
    return text + ": " + message
  }
}
