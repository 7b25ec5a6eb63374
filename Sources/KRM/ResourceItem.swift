public import YAMLSplice

/// A view of one resource: its identity, metadata and the orchestrator's
/// bookkeeping annotations. Reading only; edits go through the document.
public struct ResourceItem {
  /// The document holding the resource.
  public let document: Document
  /// The resource's node (a mapping for a real resource).
  public let node: NodeID
  /// The `apiVersion` value, when present.
  public let apiVersionNode: NodeID?
  /// The `kind` value, when present.
  public let kindNode: NodeID?
  /// The `metadata` mapping, when present.
  public let metadata: NodeID?
  /// The `metadata.annotations` mapping, when present.
  public let annotations: NodeID?
  /// The `metadata.labels` mapping, when present.
  public let labels: NodeID?

  /// Creates a view of `node` in `document`. Cost: one pass over the
  /// resource's top-level and metadata keys.
  public init(document: Document, node: NodeID) {
    self.document = document
    self.node = node
    apiVersionNode = document.value("apiVersion", in: node)
    kindNode = document.value("kind", in: node)
    var metadata = document.value("metadata", in: node)
    if let found = metadata, document.kind(of: found) != .mapping { metadata = nil }
    self.metadata = metadata
    func mapping(_ key: String) -> NodeID? {
      guard let metadata, let value = document.value(key, in: metadata),
        document.kind(of: value) == .mapping
      else { return nil }
      return value
    }
    annotations = mapping("annotations")
    labels = mapping("labels")
  }

  /// Whether the resource is a mapping.
  public var isMapping: Bool { document.kind(of: node) == .mapping }
  /// `apiVersion`, when a scalar.
  public var apiVersion: String? { scalarString(apiVersionNode) }
  /// `kind`, when a scalar.
  public var kind: String? { scalarString(kindNode) }
  /// `metadata.name`.
  public var name: String? { metadata.flatMap { document.string("name", in: $0) } }
  /// `metadata.namespace`.
  public var namespace: String? { metadata.flatMap { document.string("namespace", in: $0) } }

  private func scalarString(_ node: NodeID?) -> String? {
    guard let node, document.kind(of: node) == .scalar else { return nil }
    return document.string(of: node)
  }

  /// Whether `apiVersion` is a scalar starting with `prefix`.
  public func apiVersionHasPrefix(_ prefix: String) -> Bool {
    guard let node = apiVersionNode, document.kind(of: node) == .scalar else { return false }
    return document.withValue(of: node) { $0.starts(with: prefix.utf8) }
  }

  /// Whether `kind` is the scalar `kind`.
  public func isKind(_ kind: String) -> Bool {
    kindNode.map { document.scalar($0, equals: kind) } ?? false
  }

  /// The value of annotation `key`, when it is a scalar.
  public func annotation(_ key: String) -> String? {
    annotations.flatMap { document.string(key, in: $0) }
  }

  /// The value of label `key`, when it is a scalar.
  public func label(_ key: String) -> String? {
    labels.flatMap { document.string(key, in: $0) }
  }

  /// Whether `config.kubernetes.io/local-config` is set to anything but
  /// `"false"` (kpt's rule): such objects are not applied to a cluster.
  public var isLocalConfig: Bool {
    guard let value = annotation("config.kubernetes.io/local-config") else { return false }
    return value != "false"
  }

  /// Whether the item is kpt's package file.
  public var isKptfile: Bool { isKind("Kptfile") && apiVersionHasPrefix("kpt.dev/") }

  /// Why a mutator leaves this item alone, or nil when it may process it:
  /// not a mapping, no `kind` (kpt passes `kustomization.yaml` so), the
  /// Kptfile, or local config.
  public var passThroughReason: String? {
    if !isMapping { return "not a mapping" }
    guard let kindNode, document.kind(of: kindNode) == .scalar else { return "no kind" }
    if isKptfile { return "Kptfile" }
    if isLocalConfig { return "local config" }
    return nil
  }

  /// The reference results use for this item.
  public var resourceRef: KRMResult.ResourceRef {
    KRMResult.ResourceRef(
      apiVersion: apiVersion ?? "", kind: kind ?? "", name: name ?? "", namespace: namespace)
  }

  /// The source file from the internal (or legacy) path and index
  /// annotations, when present.
  public var file: KRMResult.File? {
    guard
      let path = annotation("internal.config.kubernetes.io/path")
        ?? annotation("config.kubernetes.io/path")
    else { return nil }
    let index =
      annotation("internal.config.kubernetes.io/index")
      ?? annotation("config.kubernetes.io/index")
    return KRMResult.File(path: path, index: index.flatMap { Int($0) })
  }
}
