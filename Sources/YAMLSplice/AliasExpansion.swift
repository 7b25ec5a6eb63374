/// A document's text with every alias replaced by a copy of the node it
/// refers to, so that each node of the expanded text has exactly one use.
///
/// Edits are decided per *use* of a node: a field reached through an alias
/// must change there and nowhere else, and a tag added to an anchored
/// mapping must not reach the selector that aliases it. Processing the
/// expanded text gives every use its own nodes; ``Resolution`` then takes
/// the edits back to the original text, keeping an alias where its copy
/// came out equal to what its anchored node became, and writing the copy in
/// its place where they differ (see docs/ARCHITECTURE.md, "Aliases").
///
/// A copy is written in flow style on one line (`{key: value, …}`, `[…]`),
/// whatever the anchored node's style: it must fit wherever the alias
/// stood. Scalars keep plain style when they can (so `8080` stays a
/// number), else are double-quoted; tags are kept, anchors dropped (a copy
/// must not redefine an anchor that later aliases name). Aliases used as
/// mapping keys, and aliases inside the node they refer to, are kept as they
/// are. Cost: O(region + copies); the copies may not add more than
/// ``growthLimit(for:)`` bytes (alias bombs), else a positioned error.
public struct AliasExpansion: Sendable {
  /// One alias of the original text and where its copy is.
  public struct Copy: Sendable {
    /// The alias, in the original document.
    public let alias: NodeID
    /// The node it refers to, in the original document.
    public let target: NodeID
    /// The alias token's bytes in the original source.
    public let original: Range<Int>
    /// The copy's bytes in ``AliasExpansion/text``.
    public let expanded: Range<Int>
  }

  /// The expanded text: the original region with each alias replaced by
  /// its copy.
  public let text: [UInt8]
  /// The bytes of the original source the text was made from.
  public let region: Range<Int>
  /// The copies, in text order.
  public let copies: [Copy]

  /// How many bytes the copies may add to a region of `count` bytes.
  public static func growthLimit(for count: Int) -> Int { max(count * 4, 1 << 20) }

  /// Expands the aliases of `document` within `region` of its source (the
  /// region holds the document's nodes).
  public init(document: Document, region: Range<Int>) throws(YAMLSyntaxError) {
    let source = document.source
    var text: [UInt8] = []
    text.reserveCapacity(region.count + 256)
    var copies: [Copy] = []
    var position = region.lowerBound
    var writer = CopyWriter(document: document, limit: Self.growthLimit(for: region.count))
    for (alias, target) in document.resolvedAliases {
      let span = document.span(of: alias)
      guard region.contains(span.lowerBound), span.lowerBound >= position,
        !document.isKey(alias), !document.isAncestor(target, of: alias)
      else { continue }
      text += source[position..<span.lowerBound]
      let start = text.count
      try writer.write(
        target, into: &text, at: span.lowerBound, inFlow: document.isInFlowContext(alias))
      copies.append(
        Copy(alias: alias, target: target, original: span, expanded: start..<text.count))
      position = span.upperBound
    }
    text += source[position..<region.upperBound]
    self.text = text
    self.region = region
    self.copies = copies
  }

  /// Where the original offset `offset` (outside every alias token) is in
  /// ``text``. Cost: O(log copies).
  public func expandedOffset(ofOriginal offset: Int) -> Int {
    var low = 0
    var high = copies.count
    while low < high {
      let middle = (low + high) / 2
      if copies[middle].original.upperBound <= offset { low = middle + 1 } else { high = middle }
    }
    guard low > 0 else { return offset - region.lowerBound }
    let before = copies[low - 1]
    return before.expanded.upperBound + (offset - before.original.upperBound)
  }

  /// Where the text offset `offset` is in the original source, when it is
  /// outside every copy or on a copy's edge (its start maps to the alias
  /// token's start, its end to the token's end); nil inside a copy.
  /// Cost: O(log copies).
  public func originalOffset(ofExpanded offset: Int) -> Int? {
    var low = 0
    var high = copies.count
    while low < high {
      let middle = (low + high) / 2
      if copies[middle].expanded.upperBound < offset { low = middle + 1 } else { high = middle }
    }
    if low < copies.count {
      let copy = copies[low]
      if offset == copy.expanded.lowerBound { return copy.original.lowerBound }
      if offset == copy.expanded.upperBound { return copy.original.upperBound }
      if offset > copy.expanded.lowerBound { return nil }
    }
    guard low > 0 else { return offset + region.lowerBound }
    let before = copies[low - 1]
    return before.original.upperBound + (offset - before.expanded.upperBound)
  }
}

/// Writes a node as a one-line flow copy (see ``AliasExpansion``).
private struct CopyWriter {
  let document: Document
  /// Bytes the copies may still add.
  var budget: Int
  /// The anchored nodes being written, innermost last (an alias of one of
  /// them is written as it is: expanding it would never end).
  var open: [NodeID] = []
  /// Where the copy being written starts in the text.
  var copyStart = 0

  init(document: Document, limit: Int) {
    self.document = document
    self.budget = limit
  }

  /// Writes the copy of `node` for the alias at `aliasOffset`; `inFlow`:
  /// whether the alias stands in a flow collection (a scalar copy in block
  /// context may keep `{`, `}`, `,`, `[` and `]` in plain style).
  mutating func write(
    _ node: NodeID, into out: inout [UInt8], at aliasOffset: Int, inFlow: Bool
  ) throws(YAMLSyntaxError) {
    copyStart = out.count
    if document.kind(of: node) == .scalar {
      appendTags(of: node, into: &out)
      appendScalar(node, into: &out, inFlow: inFlow)
      budget -= out.count - copyStart
      return
    }
    try append(node, into: &out, depth: 0, aliasOffset: aliasOffset)
    budget -= out.count - copyStart
  }

  private mutating func append(
    _ node: NodeID, into out: inout [UInt8], depth: Int, aliasOffset: Int
  ) throws(YAMLSyntaxError) {
    if out.count - copyStart > budget || depth > StreamParser.defaultMaximumDepth {
      throw YAMLSyntaxError(
        problem: "aliases expand to too much text (copies limited to \(budget) more bytes)",
        context: "alias limit", byteOffset: aliasOffset, in: document.source)
    }
    let source = document.source
    switch document.kind(of: node) {
    case .alias:
      guard let target = document.aliasTarget(of: node), !open.contains(target) else {
        out += source[document.span(of: node)]
        return
      }
      try append(target, into: &out, depth: depth + 1, aliasOffset: aliasOffset)
    case .scalar:
      appendTags(of: node, into: &out)
      appendScalar(node, into: &out, inFlow: true)
    case .mapping:
      appendTags(of: node, into: &out)
      open.append(node)
      out.append(UInt8(ascii: "{"))
      var first = true
      for (key, value) in document.entries(of: node) {
        if !first { out += [UInt8(ascii: ","), UInt8(ascii: " ")] }
        first = false
        let keyStart = out.count
        try append(key, into: &out, depth: depth + 1, aliasOffset: aliasOffset)
        if document.kind(of: document.resolved(key)) != .scalar || out.count - keyStart > 1000 {
          // libyaml takes no implicit key that long or that is a collection.
          out.insert(contentsOf: [UInt8(ascii: "?"), UInt8(ascii: " ")], at: keyStart)
          out.append(UInt8(ascii: " "))
        }
        out += [UInt8(ascii: ":"), UInt8(ascii: " ")]
        try append(value, into: &out, depth: depth + 1, aliasOffset: aliasOffset)
      }
      out.append(UInt8(ascii: "}"))
      open.removeLast()
    case .sequence:
      appendTags(of: node, into: &out)
      open.append(node)
      out.append(UInt8(ascii: "["))
      var first = true
      for item in document.children(of: node) {
        if !first { out += [UInt8(ascii: ","), UInt8(ascii: " ")] }
        first = false
        try append(item, into: &out, depth: depth + 1, aliasOffset: aliasOffset)
      }
      out.append(UInt8(ascii: "]"))
      open.removeLast()
    }
  }

  /// The node's tags (not its anchor), each followed by a space.
  private func appendTags(of node: NodeID, into out: inout [UInt8]) {
    guard document.hasProperties(node) else { return }
    let source = document.source
    let properties = document.span(of: node).lowerBound..<document.tokenRange(of: node).lowerBound
    var index = properties.lowerBound
    while index < properties.upperBound {
      switch source[index] {
      case UInt8(ascii: "&"):
        index += 1
        while index < properties.upperBound && Document.isAnchorByte(source[index]) { index += 1 }
      case UInt8(ascii: "!"):
        let start = index
        while index < properties.upperBound && document.separatorLength(at: index) == 0 {
          index += 1
        }
        out += source[start..<index]
        out.append(UInt8(ascii: " "))
      default:
        index += 1
      }
    }
  }

  /// A scalar's value as a token that reads back the same in its context:
  /// plain when it was plain and still is plain there, else double-quoted.
  private func appendScalar(_ node: NodeID, into out: inout [UInt8], inFlow: Bool) {
    document.withValue(of: node) { value in
      if document.style(of: node) == .plain {
        if value.isEmpty {
          if !document.hasProperties(node) {
            out.append(UInt8(ascii: "~"))
            return
          }
        } else if Self.isPlain(value, inFlow: inFlow) {
          out += value
          return
        }
      }
      ScalarWriter.appendDoubleQuoted(value, to: &out)
    }
  }

  /// Whether `value` written plain (in a flow collection with `inFlow`)
  /// reads back as the same plain scalar: one line, no flow indicator in
  /// flow, no `: ` or ` #`, no indicator first, no blank at either end.
  /// Conservative.
  static func isPlain(_ value: UnsafeBufferPointer<UInt8>, inFlow: Bool) -> Bool {
    guard let first = value.first, let last = value.last else { return false }
    if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return false }
    if "#&*!|>'\"%@`".utf8.contains(first) { return false }
    if first == UInt8(ascii: "-") || first == UInt8(ascii: "?") || first == UInt8(ascii: ":") {
      guard value.count > 1, !" \t,[]{}".utf8.contains(value[1]) else { return false }
    }
    if ScalarWriter.hasSpecialCharacter(value) { return false }
    for index in value.indices {
      let byte = value[index]
      if byte < 0x20 && byte != 0x09 { return false }
      if byte == 0x7F { return false }
      if ",[]{}".utf8.contains(byte) && (inFlow || index == 0) { return false }
      if byte == UInt8(ascii: ":") {
        if index + 1 == value.count || value[index + 1] == 0x20 || value[index + 1] == 0x09 {
          return false
        }
      }
      if byte == UInt8(ascii: "#") && index > 0
        && (value[index - 1] == 0x20 || value[index - 1] == 0x09)
      {
        return false
      }
    }
    return true
  }
}

extension Document {
  /// Whether `node` is a key of its parent mapping. Cost: O(siblings).
  public func isKey(_ node: NodeID) -> Bool {
    position(of: node)?.isKey ?? false
  }

  /// Whether `ancestor` is `node` or holds it. Cost: O(depth).
  public func isAncestor(_ ancestor: NodeID, of node: NodeID) -> Bool {
    var current: NodeID? = node
    while let found = current {
      if found == ancestor { return true }
      current = parent(of: found)
    }
    return false
  }

  /// The outermost node whose span starts at `offset` (the first in the
  /// table: parents come before their children), or nil. Cost: O(log
  /// nodes): spans start in table order.
  public func outermostNode(startingAt offset: Int) -> NodeID? {
    var low = 0
    var high = nodeCount
    while low < high {
      let middle = (low + high) / 2
      if span(of: NodeID(middle)).lowerBound < offset { low = middle + 1 } else { high = middle }
    }
    guard low < nodeCount, span(of: NodeID(low)).lowerBound == offset else { return nil }
    return NodeID(low)
  }

  /// Whether two nodes hold the same YAML value once aliases are resolved:
  /// same kinds, tags, entries and items in order, scalar values equal and
  /// both plain or both not (a plain `8080` is a number, a quoted one a
  /// string). Gives up (false) past `budget` nodes.
  public func sameValue(_ lhs: NodeID, _ rhs: NodeID, budget: Int = 1 << 20) -> Bool {
    var remaining = budget
    return sameValue(lhs, rhs, remaining: &remaining)
  }

  private func sameValue(_ lhs: NodeID, _ rhs: NodeID, remaining: inout Int) -> Bool {
    remaining -= 1
    guard remaining > 0 else { return false }
    let left = resolved(lhs)
    let right = resolved(rhs)
    if left == right { return true }
    guard kind(of: left) == kind(of: right), tags(of: left) == tags(of: right) else {
      return false
    }
    switch kind(of: left) {
    case .scalar:
      if isNull(left) && isNull(right) { return true }
      // A plain scalar is a string like a quoted one unless it reads as a
      // bool, null or number (or a tag says what it is).
      if (style(of: left) == .plain) != (style(of: right) == .plain) && tags(of: left).isEmpty {
        let plain = style(of: left) == .plain ? left : right
        guard withValue(of: plain, { ScalarWriter.isPlainSafe($0, inFlow: false) }) else {
          return false
        }
      }
      return withValue(of: left) { leftValue in
        withValue(of: right) { $0.elementsEqual(leftValue) }
      }
    case .mapping, .sequence:
      var leftChildren = children(of: left).makeIterator()
      var rightChildren = children(of: right).makeIterator()
      while true {
        let nextLeft = leftChildren.next()
        let nextRight = rightChildren.next()
        guard let nextLeft, let nextRight else { return nextLeft == nil && nextRight == nil }
        if !sameValue(nextLeft, nextRight, remaining: &remaining) { return false }
      }
    case .alias:
      // An alias left unresolved (its anchor elsewhere): the same only as
      // the same text.
      return source[span(of: left)].elementsEqual(source[span(of: right)])
    }
  }

  /// The node's tag text, or an empty slice.
  private func tags(of node: NodeID) -> ArraySlice<UInt8> {
    guard hasProperties(node) else { return [] }
    let properties = span(of: node).lowerBound..<tokenRange(of: node).lowerBound
    guard let bang = source[properties].firstIndex(of: UInt8(ascii: "!")) else { return [] }
    var end = bang
    while end < properties.upperBound && separatorLength(at: end) == 0 { end += 1 }
    return source[bang..<end]
  }
}
