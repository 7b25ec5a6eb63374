public import YAMLSplice

/// A node of a document as a consumer such as kubectl reads it: aliases
/// replaced by the node they name, merge keys (`<<`) folded into their
/// mapping, styles and tags gone. Invariants about meaning compare these
/// trees, so they hold whatever the engine does with anchors and aliases
/// (keeps them, splits them into literal copies).
public indirect enum ResolvedTree: Equatable, Sendable {
  /// A scalar's decoded value.
  case scalar(String)
  /// A mapping's entries: its own first, in order, then the merged ones its
  /// own keys do not shadow.
  case mapping([Entry])
  /// A sequence's items.
  case sequence([ResolvedTree])

  /// One mapping entry.
  public struct Entry: Equatable, Sendable {
    /// The key.
    public var key: ResolvedTree
    /// The value.
    public var value: ResolvedTree

    /// Creates an entry.
    public init(key: ResolvedTree, value: ResolvedTree) {
      self.key = key
      self.value = value
    }
  }

  /// The value of entry `key` when this is a mapping with a scalar key
  /// `key`.
  public subscript(key: String) -> ResolvedTree? {
    guard case .mapping(let entries) = self else { return nil }
    return entries.first { $0.key == .scalar(key) }?.value
  }

  /// The scalar's value, or nil.
  public var string: String? {
    if case .scalar(let value) = self { return value }
    return nil
  }

  /// Whether any scalar of the tree (keys included) satisfies `predicate`.
  public func containsScalar(where predicate: (String) -> Bool) -> Bool {
    switch self {
    case .scalar(let value): predicate(value)
    case .sequence(let items): items.contains { $0.containsScalar(where: predicate) }
    case .mapping(let entries):
      entries.contains {
        $0.key.containsScalar(where: predicate) || $0.value.containsScalar(where: predicate)
      }
    }
  }
}

/// Composes ``ResolvedTree``s from a ``Document``'s node table.
///
/// The node table records anchors and aliases but not their names: an
/// anchor's name is read from the source bytes of its node's span (`&name`
/// before the token, possibly after a tag), an alias's from its own span
/// (`*name`). An alias names the closest anchor of that name before it in
/// document order, which a pre-order walk of the table visits first.
/// Expansion is capped (``maximumNodes``): alias bombs give nil, not
/// exponential work.
public struct ResolvedTreeComposer {
  /// The document read.
  public let document: Document
  /// The most nodes one composition may produce.
  public var maximumNodes = 50_000
  private var aliasTargets: [NodeID: NodeID] = [:]
  private var budget = 0

  /// Prepares `document`: one walk to pair each alias with its anchor.
  /// Cost: O(nodes).
  public init(document: Document) {
    self.document = document
    var anchors: [String: NodeID] = [:]
    var stack = [document.root]
    while let node = stack.popLast() {
      switch document.kind(of: node) {
      case .alias:
        if let name = Self.aliasName(document, node), let target = anchors[name] {
          aliasTargets[node] = target
        }
        continue
      default:
        if document.hasProperties(node), let name = Self.anchorName(document, node) {
          anchors[name] = node
        }
      }
      // Children in reverse, so that they pop in document order.
      stack.append(contentsOf: document.children(of: node).reversed())
    }
  }

  /// The resolved tree of `node`, or nil when it expands past
  /// ``maximumNodes`` or an alias names no anchor.
  public mutating func compose(_ node: NodeID) -> ResolvedTree? {
    budget = maximumNodes
    return resolve(node, depth: 0)
  }

  private mutating func resolve(_ node: NodeID, depth: Int) -> ResolvedTree? {
    budget -= 1
    guard budget >= 0, depth < 200 else { return nil }
    switch document.kind(of: node) {
    case .scalar:
      return .scalar(document.string(of: node))
    case .alias:
      guard let target = aliasTargets[node] else { return nil }
      return resolve(target, depth: depth + 1)
    case .sequence:
      var items: [ResolvedTree] = []
      for child in document.children(of: node) {
        guard let item = resolve(child, depth: depth + 1) else { return nil }
        items.append(item)
      }
      return .sequence(items)
    case .mapping:
      var own: [ResolvedTree.Entry] = []
      var merged: [ResolvedTree.Entry] = []
      for (keyNode, valueNode) in document.entries(of: node) {
        guard let value = resolve(valueNode, depth: depth + 1) else { return nil }
        if document.kind(of: keyNode) == .scalar, document.style(of: keyNode) == .plain,
          document.scalar(keyNode, equals: "<<")
        {
          // `<<: {…}` or `<<: [*a, *b]`: earlier sources win.
          let sources: [ResolvedTree]
          if case .sequence(let items) = value { sources = items } else { sources = [value] }
          for case .mapping(let entries) in sources {
            for entry in entries where !merged.contains(where: { $0.key == entry.key }) {
              merged.append(entry)
            }
          }
          continue
        }
        guard let key = resolve(keyNode, depth: depth + 1) else { return nil }
        own.append(ResolvedTree.Entry(key: key, value: value))
      }
      for entry in merged where !own.contains(where: { $0.key == entry.key }) {
        own.append(entry)
      }
      return .mapping(own)
    }
  }

  /// The name of the anchor on `node` (`&name` at the start of its span,
  /// before or after a tag), or nil.
  static func anchorName(_ document: Document, _ node: NodeID) -> String? {
    let span = document.span(of: node)
    let source = document.source
    var index = span.lowerBound
    for _ in 0..<2 {
      while index < span.upperBound, Self.isSpace(source[index]) { index += 1 }
      guard index < span.upperBound else { return nil }
      let start = index + 1
      let isAnchor = source[index] == UInt8(ascii: "&")
      guard isAnchor || source[index] == UInt8(ascii: "!") else { return nil }
      index = start
      if isAnchor {
        while index < span.upperBound, Self.isNameByte(source[index]) { index += 1 }
        return String(decoding: source[start..<index], as: UTF8.self)
      }
      while index < span.upperBound, !Self.isSpace(source[index]) { index += 1 }
    }
    return nil
  }

  /// The name an alias node refers to (`*name`), or nil.
  static func aliasName(_ document: Document, _ node: NodeID) -> String? {
    let span = document.span(of: node)
    let source = document.source
    guard span.count > 1, source[span.lowerBound] == UInt8(ascii: "*") else { return nil }
    var end = span.lowerBound + 1
    while end < span.upperBound, Self.isNameByte(source[end]) { end += 1 }
    return String(decoding: source[(span.lowerBound + 1)..<end], as: UTF8.self)
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// Whether `byte` may be part of an anchor or alias name (libyaml
  /// takes letters, digits, `-` and `_`).
  private static func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
      || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
  }
}
