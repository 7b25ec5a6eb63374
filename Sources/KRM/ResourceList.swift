public import YAMLSplice

/// A `ResourceList` (or `List`) document: where its items, function config
/// and results are.
///
/// Orchestrators write keys in any order (kpt and kustomize put
/// `functionConfig` after `items`), so the whole document is parsed first.
public struct ResourceList {
  /// The document holding the list.
  public let document: Document
  /// The top-level mapping.
  public let root: NodeID
  /// The `items` sequence, when present.
  public let itemsNode: NodeID?
  /// The item nodes, in order.
  public let items: [NodeID]
  /// The `functionConfig` value, when present and not null.
  public let functionConfig: NodeID?

  /// Views `document` as a function's input when its root is a mapping of
  /// `kind: ResourceList` (any apiVersion: kyaml does not check it), or of
  /// `kind: List` framed as one (``isFunctionInputList(_:)``). A user's
  /// `v1 List` (`kubectl get -o yaml`) is not: it is a resource stream.
  public init?(_ document: Document) {
    let root = document.root
    guard document.kind(of: root) == .mapping,
      let kind = document.value("kind", in: root),
      document.scalar(kind, equals: "ResourceList")
        || (document.scalar(kind, equals: "List") && Self.isFunctionInputList(document))
    else { return nil }
    self.document = document
    self.root = root
    let itemsNode = document.value("items", in: root)
    self.itemsNode = itemsNode
    if let itemsNode, document.kind(of: itemsNode) == .sequence {
      items = Array(document.children(of: itemsNode))
    } else {
      items = []
    }
    if let config = document.value("functionConfig", in: root), !document.isNull(config) {
      functionConfig = config
    } else {
      functionConfig = nil
    }
  }

  /// Whether a `kind: List` document is a KRM function's input rather than
  /// a user's list of resources: its apiVersion is in the ResourceList
  /// group (`config.kubernetes.io/…`) or it has a `functionConfig` key.
  /// kpt and kustomize send `kind: ResourceList`; kyaml's reader also
  /// unwraps a `List`, so a hand-made input in that shape stays a
  /// function input. `kubectl get -o yaml` writes `apiVersion: v1`,
  /// `kind: List` with `items` and `metadata`, never `functionConfig`.
  public static func isFunctionInputList(_ document: Document) -> Bool {
    let root = document.root
    if document.value("functionConfig", in: root) != nil { return true }
    return document.string("apiVersion", in: root)?.hasPrefix("config.kubernetes.io/") ?? false
  }

  /// The items of a user's `kind: List` (one that is not a function's
  /// input), or nil when `document` is not one: its resources, which
  /// filter mode processes as it does the documents of a stream.
  public static func userListItems(_ document: Document) -> [NodeID]? {
    let root = document.root
    guard document.kind(of: root) == .mapping, let kind = document.value("kind", in: root),
      document.scalar(kind, equals: "List"), !isFunctionInputList(document),
      let items = document.value("items", in: root), document.kind(of: items) == .sequence
    else { return nil }
    return Array(document.children(of: items))
  }

  /// Whether `items` is present but not a sequence (nor null).
  public var hasMalformedItems: Bool {
    guard let itemsNode else { return false }
    return document.kind(of: itemsNode) != .sequence && !document.isNull(itemsNode)
  }

  /// The block layout of the list, read from how `items` is indented.
  public var layout: BlockLayout {
    var layout = BlockLayout()
    if let itemsNode, let entry = document.entry("items", in: root),
      document.style(of: itemsNode) == .block, let first = items.first
    {
      let keyColumn = document.column(of: document.span(of: entry.key).lowerBound)
      let itemColumn = document.column(of: document.span(of: first).lowerBound)
      // Item content sits two columns after its dash.
      layout.sequenceIndent = max(0, itemColumn - 2 - keyColumn)
    }
    return layout
  }

  /// The slot that writes `results` into the list: replacing an existing
  /// `results` value, or appending the key, in the list's own style. The
  /// results are rendered into it while the output is written
  /// (``ResultLog/render(_:as:source:into:)``).
  public func resultsSlot() -> SequenceSlot {
    document.sequenceSlot(forKey: "results", in: root, layout: layout)
  }

  /// The edit that writes `results` into the list, rendered whole (for
  /// small lists and tests; large runs use ``resultsSlot()``).
  public func resultsEdit(_ results: [KRMResult]) -> Edit {
    var log = ResultLog()
    for result in results { log.append(result) }
    return resultsEdit(log)
  }

  /// The edit that writes the results of `log` into the list, rendered whole.
  public func resultsEdit(_ log: ResultLog) -> Edit {
    guard !log.isEmpty else {
      let empty = YAMLFragment.sequence([])
      if let entry = document.entry("results", in: root) {
        return document.edit(
          replacingValue: entry.value, ofKey: entry.key, in: root, with: empty, layout: layout)
      }
      return document.edit(appending: [("results", empty)], to: root, layout: layout)
    }
    let slot = resultsSlot()
    var edit = slot.edit
    var items = ByteWriter()
    log.render(0..<log.count, as: slot.style, source: document.source, into: &items)
    let hole = edit.hole ?? edit.replacement.count
    edit.replacement.insert(contentsOf: items.bytes, at: hole)
    edit.hole = nil
    return edit
  }
}
