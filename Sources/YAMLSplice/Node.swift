/// The index of a node in a ``Document``'s node table.
public struct NodeID: Hashable, Sendable {
  /// Position in the table; the root of a document is 0.
  public let index: Int32

  @usableFromInline init(_ index: Int32) { self.index = index }
  @usableFromInline init(_ index: Int) { self.index = Int32(truncatingIfNeeded: index) }
}

/// What a node is.
public enum NodeKind: UInt8, Sendable {
  /// A scalar (any style).
  case scalar
  /// A mapping; its children alternate key, value.
  case mapping
  /// A sequence; its children are the items.
  case sequence
  /// An alias (`*name`); never expanded.
  case alias
}

/// How a node is written in the source.
public enum NodeStyle: UInt8, Sendable {
  /// A plain scalar.
  case plain
  /// A `'single-quoted'` scalar.
  case singleQuoted
  /// A `"double-quoted"` scalar.
  case doubleQuoted
  /// A `|` literal block scalar.
  case literal
  /// A `>` folded block scalar.
  case folded
  /// A block (indentation-based) collection.
  case block
  /// A flow (`{}` / `[]`) collection.
  case flow
  /// An alias, which has no style.
  case none

  /// Whether a scalar of this style is a block scalar (`|` or `>`).
  @inlinable public var isBlockScalar: Bool { self == .literal || self == .folded }
}

/// One entry of the flat node table: plain data, 32 bytes, no references.
///
/// Offsets are byte offsets into the document's source. `start..<end` is the
/// span libyaml reports, converted to bytes: it includes anchors and tags,
/// quotes, block scalar headers and trailing line breaks; block collections
/// end at the next token (after trailing comments).
///
/// `@usableFromInline` with the table and ``Document``'s readers: the
/// layers above read nodes in their hot loops, and inlined reads avoid a
/// call and generic dispatch per node.
@usableFromInline
struct Node {
  @usableFromInline var start: UInt32
  @usableFromInline var end: UInt32
  /// Next sibling in the parent collection, or -1.
  @usableFromInline var next: Int32
  /// First child of a collection, or -1 (also for scalars and aliases).
  @usableFromInline var first: Int32
  /// The collection holding this node, or -1 for the root.
  @usableFromInline var parent: Int32
  /// Scalars: where the decoded value lives (source or arena, see `flags`).
  /// Detached placeholders: where the item's own text ends (see
  /// ``Document/contentEnd(of:)``).
  @usableFromInline var valueOffset: UInt32
  /// Scalars: length in bytes of the decoded value.
  @usableFromInline var valueLength: UInt32
  @usableFromInline var kind: NodeKind
  @usableFromInline var style: NodeStyle
  @usableFromInline var flags: UInt8

  @usableFromInline static let valueInArena: UInt8 = 1
  @usableFromInline static let hasProperties: UInt8 = 2
  @usableFromInline static let plainImplicit: UInt8 = 4
  /// A placeholder for an item parsed into its own document (see
  /// ``StreamParser/forEachDocument(in:maximumDepth:detachingItemsOf:item:document:)``):
  /// its span is right, its content is not in this table.
  @usableFromInline static let detached: UInt8 = 8
}
