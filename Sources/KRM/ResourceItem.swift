public import YAMLSplice

/// A view of one resource: its identity, metadata and the orchestrator's
/// bookkeeping annotations. Reading only; edits go through the document.
public struct ResourceItem {
  /// The document holding the resource.
  public let document: Document
  /// The resource's node (a mapping for a real resource).
  public let node: NodeID

  /// Creates a view of `node` in `document`.
  public init(document: Document, node: NodeID) {
    self.document = document
    self.node = node
  }

  /// Whether the resource is a mapping.
  public var isMapping: Bool { document.kind(of: node) == .mapping }
  /// `apiVersion`, when a scalar.
  public var apiVersion: String? { document.string("apiVersion", in: node) }
  /// `kind`, when a scalar.
  public var kind: String? { document.string("kind", in: node) }
  /// The `metadata` mapping, when present.
  public var metadata: NodeID? {
    guard let metadata = document.value("metadata", in: node),
      document.kind(of: metadata) == .mapping
    else { return nil }
    return metadata
  }
  /// `metadata.name`.
  public var name: String? { metadata.flatMap { document.string("name", in: $0) } }
  /// `metadata.namespace`.
  public var namespace: String? { metadata.flatMap { document.string("namespace", in: $0) } }
  /// The `metadata.annotations` mapping, when present.
  public var annotations: NodeID? { mapping("annotations") }
  /// The `metadata.labels` mapping, when present.
  public var labels: NodeID? { mapping("labels") }

  private func mapping(_ key: String) -> NodeID? {
    guard let metadata, let value = document.value(key, in: metadata),
      document.kind(of: value) == .mapping
    else { return nil }
    return value
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
  public var isKptfile: Bool { kind == "Kptfile" && (apiVersion ?? "").hasPrefix("kpt.dev/") }

  /// Why a mutator leaves this item alone, or nil when it may process it:
  /// not a mapping, no `kind` (kpt passes `kustomization.yaml` so), the
  /// Kptfile, or local config.
  public var passThroughReason: String? {
    if !isMapping { return "not a mapping" }
    if kind == nil { return "no kind" }
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
