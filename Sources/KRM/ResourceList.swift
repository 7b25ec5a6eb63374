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

  /// Views `document` as a ResourceList when its root is a mapping whose
  /// `kind` is `ResourceList` or `List` (any apiVersion, as kyaml does).
  public init?(_ document: Document) {
    let root = document.root
    guard document.kind(of: root) == .mapping,
      let kind = document.value("kind", in: root),
      document.scalar(kind, equals: "ResourceList") || document.scalar(kind, equals: "List")
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
