/// Building edits that change a document's bytes in place: scalar
/// substitutions in the scalar's own style, new mapping entries in the
/// neighbours' layout, replaced values.
extension Document {
  // MARK: - Layout facts

  /// The node's token: its span without leading anchors and tags.
  public func tokenRange(of node: NodeID) -> Range<Int> {
    let span = span(of: node)
    guard hasProperties(node) else { return span }
    var index = span.lowerBound
    while index < span.upperBound,
      source[index] == UInt8(ascii: "&") || source[index] == UInt8(ascii: "!")
    {
      if source[index] == UInt8(ascii: "&") {
        // An anchor name is letters, digits, `-` and `_` (libyaml); a plain
        // scalar may follow it directly (`&a:b` is anchor `a`, value `:b`).
        index += 1
        while index < span.upperBound && Self.isAnchorByte(source[index]) { index += 1 }
      } else {
        // A tag runs to the next blank (libyaml requires one after it).
        while index < span.upperBound && separatorLength(at: index) == 0 { index += 1 }
      }
      index = skipSpaceAndComments(from: index, limit: span.upperBound)
    }
    return index..<span.upperBound
  }

  /// Where the node's own text ends: a scalar's, alias's or flow
  /// collection's span end, or for a block collection the end of its last
  /// descendant (its span runs on over trailing comments); for a detached
  /// item's placeholder, what its own table said.
  public func contentEnd(of node: NodeID) -> Int {
    var current = node
    while kind(of: current) == .mapping || kind(of: current) == .sequence,
      style(of: current) == .block
    {
      let entry = nodes[current.index]
      if entry.flags & Node.detached != 0 { return Int(entry.valueOffset) }
      var last: NodeID?
      for child in children(of: current) { last = child }
      guard let last else { break }
      current = last
    }
    return span(of: current).upperBound
  }

  /// The column where a block mapping's entries start: its first key's
  /// column, or that of the `?` before an explicit (complex) key. A mapping
  /// that starts at its first key is itself inside that key: the `?` is its
  /// parent's.
  func entryColumn(of key: NodeID) -> Int {
    let keyStart = span(of: key).lowerBound
    guard let mapping = parent(of: key), span(of: mapping).lowerBound != keyStart else {
      return column(of: keyStart)
    }
    if let indicator = explicitKeyIndicator(of: key, in: mapping) { return column(of: indicator) }
    return column(of: keyStart)
  }

  /// Offset of the `?` that introduces `key` in `mapping`, nil for an
  /// implicit key. The `?` is the first token after the previous entry (or
  /// the mapping's start; in flow, after the `{` or `,`); blanks, line breaks and comments may
  /// stand between it and the key (`? # note` with the key on the next
  /// line). Same-line blanks are also looked through backwards, for a
  /// mapping whose own anchor or tag comes before its first `?`.
  /// Cost: O(entries before `key`) plus the bytes scanned.
  func explicitKeyIndicator(of key: NodeID, in mapping: NodeID) -> Int? {
    let keyStart = span(of: key).lowerBound
    var previousEnd = span(of: mapping).lowerBound
    for entry in entries(of: mapping) {
      if entry.key == key { break }
      previousEnd = contentEnd(of: entry.value)
    }
    var next = skipSpaceAndComments(from: min(previousEnd, keyStart), limit: keyStart)
    if style(of: mapping) == .flow, next < keyStart,
      source[next] == UInt8(ascii: "{") || source[next] == UInt8(ascii: ",")
    {
      next = skipSpaceAndComments(from: next + 1, limit: keyStart)
    }
    if next < keyStart && source[next] == UInt8(ascii: "?")
      && skipSpaceAndComments(from: next + 1, limit: keyStart) == keyStart
    {
      return next
    }
    var index = keyStart
    while index > 0 && (source[index - 1] == 0x20 || source[index - 1] == 0x09) { index -= 1 }
    return index > 0 && source[index - 1] == UInt8(ascii: "?") ? index - 1 : nil
  }

  /// Column (0-based, in characters) of a byte offset on its line (lines
  /// end at every break libyaml knows, NEL, LS and PS included).
  public func column(of offset: Int) -> Int {
    var start = offset
    while start > 0 && !breakEnds(before: start) { start -= 1 }
    // A UTF-8 BOM opening the input takes no column.
    if start == 0 && offset >= 3 && source.count >= 3 && source[0] == 0xEF && source[1] == 0xBB
      && source[2] == 0xBF
    {
      start = 3
    }
    var column = 0
    var index = start
    while index < offset {
      if source[index] & 0xC0 != 0x80 { column += 1 }
      index += 1
    }
    return column
  }

  /// The line break used near `offset`: the next one in the document (that
  /// of the line `offset` is on), else the nearest one before it in the
  /// document, else `\n`. Never looks outside the document's span.
  public func lineBreak(near offset: Int) -> [UInt8] {
    let end = min(span.upperBound, source.count)
    var index = min(offset, end)
    while index < end && source[index] != 0x0A { index += 1 }
    if index == end {
      // None after it in this document: the nearest one before it.
      index = min(offset, end) - 1
      while index >= span.lowerBound && source[index] != 0x0A { index -= 1 }
      guard index >= span.lowerBound else { return [0x0A] }
    }
    return index > 0 && source[index - 1] == 0x0D ? [0x0D, 0x0A] : [0x0A]
  }

  /// Whether the mapping's keys are double-quoted (JSON-like): new keys and
  /// values then are too. An empty flow mapping follows the key it is the
  /// value of (`"labels": {}`), else whether the document is written as
  /// JSON (starts with `{`).
  public func usesQuotedKeys(_ mapping: NodeID) -> Bool {
    guard let first = firstEntry(of: mapping) else {
      guard style(of: mapping) == .flow else { return false }
      if let parent = parent(of: mapping), kind(of: parent) == .mapping,
        let key = entries(of: parent).first(where: { $0.value == mapping })?.key
      {
        return style(of: key) == .doubleQuoted
      }
      return source[skipSpaceAndComments(from: span.lowerBound, limit: span.upperBound)...].first
        == UInt8(ascii: "{")
    }
    return style(of: first.key) == .doubleQuoted
  }

  // MARK: - Scalars

  /// Edits that replace `substitutions` (ranges of the decoded value, in
  /// increasing order, not overlapping) in a scalar.
  ///
  /// Where every range maps onto verbatim source bytes and the new bytes
  /// need no escaping in the scalar's style, only those bytes change;
  /// otherwise the whole token is rewritten in the nearest safe style.
  /// Cost: O(token length).
  public func edits(
    substituting substitutions: [(range: Range<Int>, replacement: [UInt8])], in node: NodeID
  ) -> [Edit] {
    guard !substitutions.isEmpty, kind(of: node) == .scalar else { return [] }
    return edits(
      substituting: substitutions, in: node,
      giving: Self.applying(substitutions, to: value(of: node)))
  }

  /// ``edits(substituting:in:)`` when the caller already has the new value
  /// (`newValue`, the scalar's value with `substitutions` applied).
  public func edits(
    substituting substitutions: [(range: Range<Int>, replacement: [UInt8])], in node: NodeID,
    giving newValue: [UInt8]
  ) -> [Edit] {
    guard !substitutions.isEmpty, kind(of: node) == .scalar else { return [] }
    let style = style(of: node)
    if style != .plain || ScalarWriter.isPlainSafe(newValue, inFlow: isInFlowContext(node)),
      let map = ScalarSourceMap(document: self, node: node)
    {
      var edits: [Edit] = []
      for substitution in substitutions {
        guard Self.fitsVerbatim(substitution.replacement, style: style),
          let range = map.sourceRange(ofValue: substitution.range)
        else {
          edits = []
          break
        }
        edits.append(Edit(range: range, replacement: substitution.replacement))
      }
      if edits.count == substitutions.count { return edits }
    }
    return [edit(replacingValueOf: node, with: newValue)]
  }

  /// `value` with `substitutions` (increasing, non-overlapping ranges)
  /// applied. Cost: O(value).
  public static func applying(
    _ substitutions: [(range: Range<Int>, replacement: [UInt8])],
    to value: UnsafeBufferPointer<UInt8>
  ) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(value.count + substitutions.count * 16)
    var position = 0
    for substitution in substitutions {
      result += UnsafeBufferPointer(rebasing: value[position..<substitution.range.lowerBound])
      result += substitution.replacement
      position = substitution.range.upperBound
    }
    result += UnsafeBufferPointer(rebasing: value[position...])
    return result
  }

  /// ``applying(_:to:)`` for a value held in an array.
  public static func applying(
    _ substitutions: [(range: Range<Int>, replacement: [UInt8])], to value: [UInt8]
  ) -> [UInt8] {
    value.withUnsafeBufferPointer { applying(substitutions, to: $0) }
  }

  /// An edit that rewrites a scalar's whole token to hold `value`, keeping
  /// its style where the value allows: a plain scalar stays plain when the
  /// value is a valid plain scalar there, else single then double quotes;
  /// a block scalar stays a block with its header and indentation
  /// (``blockScalarToken(replacing:with:)``), else double quotes.
  /// An empty value after `key:` or `-` gets a token; an empty value with no
  /// `:` at all (an explicit `? key` alone) is outside what this can place.
  public func edit(replacingValueOf node: NodeID, with value: [UInt8]) -> Edit {
    let token = tokenRange(of: node)
    if token.isEmpty,
      let edit = valueForKeyWithoutColon(
        node,
        token: { ScalarWriter.token(for: value, keeping: .plain, inFlow: $0) })
    {
      return edit
    }
    let style = style(of: node)
    if style.isBlockScalar, let block = blockScalarToken(replacing: node, with: value) {
      return Edit(range: token, replacement: block)
    }
    var replacement = ScalarWriter.token(
      for: value, keeping: style, inFlow: isInFlowContext(node))
    if style.isBlockScalar, token.upperBound > token.lowerBound,
      breakEnds(before: token.upperBound)
    {
      replacement += lineBreak(near: token.lowerBound)
    }
    // A token right after `key:`, `-` or an anchor (`&a:b`) must be
    // separated from it: the new token may start with a quote.
    if token.lowerBound > 0 && !separatorEnds(before: token.lowerBound)
      && !"[{,".utf8.contains(source[token.lowerBound - 1])
    {
      replacement.insert(0x20, at: 0)
    }
    // An empty document's value sits at the next `---` or `...`: end the line.
    if token.isEmpty && token.lowerBound < source.count
      && separatorLength(at: token.lowerBound) == 0
      && !",]}".utf8.contains(source[token.lowerBound])
    {
      replacement += lineBreak(near: token.lowerBound)
    }
    return Edit(range: token, replacement: replacement)
  }

  /// The edit giving a value to a mapping entry written without `:` (a
  /// flow `{a, b}` key, or an explicit `? key` alone): `: value` after the
  /// key in flow, a `: value` line at the `?` column in block. Nil when
  /// `node` is not such a value.
  /// `token(inFlow)` renders the new value for where it goes.
  private func valueForKeyWithoutColon(
    _ node: NodeID, token: (_ inFlow: Bool) -> [UInt8]
  ) -> Edit? {
    guard let mapping = parent(of: node), kind(of: mapping) == .mapping,
      let key = entries(of: mapping).first(where: { $0.value == node })?.key,
      lacksValueIndicator(node, ofKey: key)
    else { return nil }
    if style(of: mapping) == .flow {
      let start = span(of: key).lowerBound
      let end = contentEnd(of: key)
      guard
        !isImplicitKeyForbidden(start..<end) || explicitKeyIndicator(of: key, in: mapping) != nil
      else {
        // libyaml takes `key: value` only for a key on one line and
        // shorter than 1,024 bytes; past that the key must be explicit.
        let text = Array("? ".utf8) + source[start..<end] + Array(": ".utf8) + token(true)
        return Edit(range: start..<end, replacement: text)
      }
      return Edit(range: end..<end, replacement: Array(": ".utf8) + token(true))
    }
    var lineStart = span(of: node).lowerBound
    while lineStart > 0 && !breakEnds(before: lineStart) { lineStart -= 1 }
    var text = Array(repeating: UInt8(0x20), count: entryColumn(of: key)) + Array(": ".utf8)
    text += token(false)
    text += lineBreak(near: lineStart)
    return Edit(range: lineStart..<lineStart, replacement: text)
  }

  /// Whether the key text at `range` cannot be followed by `: value`: an
  /// implicit (simple) key must sit on one line and be shorter than 1,024
  /// bytes. Cost: O(range.count).
  func isImplicitKeyForbidden(_ range: Range<Int>) -> Bool {
    if range.count >= 1024 { return true }
    return range.contains { breakLength(at: $0) > 0 }
  }

  /// Whether `bytes` can stand unescaped inside a scalar of `style`.
  static func fitsVerbatim(_ bytes: [UInt8], style: NodeStyle) -> Bool {
    for byte in bytes {
      if byte < 0x20 || byte == 0x7F { return false }
      switch style {
      case .plain:
        if !isPlainWordByte(byte) { return false }
      case .singleQuoted:
        if byte == UInt8(ascii: "'") { return false }
      case .doubleQuoted:
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
      default:
        break
      }
    }
    return true
  }

  // MARK: - Mappings

  /// An insertion that appends `entries` to `mapping`, in its layout: for a
  /// block mapping, new lines after its last entry at its keys' column; for
  /// a flow mapping, `, key: value` before the closing brace (JSON-quoted when
  /// its keys are). Comments and blank lines around stay where they are.
  public func edit(
    appending entries: [(String, YAMLFragment)], to mapping: NodeID, layout: BlockLayout? = nil
  ) -> Edit {
    let json = usesQuotedKeys(mapping)
    guard style(of: mapping) != .flow, let first = firstEntry(of: mapping),
      let last = lastEntry(of: mapping)
    else {
      return flowInsertion(entries, into: mapping, existing: self.entries(of: mapping), json: json)
    }
    let indent = entryColumn(of: first.key)
    // A value with no text of its own (`? key` alone) sits where the next
    // token starts; the entry's text ends with its key.
    let valueless = lacksValueIndicator(last.value, ofKey: last.key)
    let end = valueless ? contentEnd(of: last.key) : contentEnd(of: last.value)
    var layout = layout ?? BlockLayout()
    layout.lineBreak = lineBreak(near: end)
    var text: [UInt8] = []
    text.reserveCapacity(entries.reduce(2) { $0 + $1.0.utf8.count + indent + $1.1.estimatedSize })
    let position = lineEnd(after: end)
    let openEnd = endsWithoutBreak(at: position)
    if openEnd { text += layout.lineBreak }
    if valueless {
      // The last entry is an explicit `? key` with no `:` line: libyaml
      // does not take a new key after it (when the key is a collection),
      // so its empty value gets its `:` first.
      text += Array(repeating: UInt8(0x20), count: entryColumn(of: last.key))
      text.append(UInt8(ascii: ":"))
      text += layout.lineBreak
    }
    for (key, value) in entries {
      value.renderBlockEntry(key: key, indent: indent, layout: layout, into: &text)
    }
    if openEnd { text.removeLast(layout.lineBreak.count) }
    return Edit(range: position..<position, replacement: text)
  }

  /// Whether `value` is the empty value of the mapping entry `key` written
  /// without `:` (a flow `{a, b}` key, or an explicit `? key` alone): no
  /// `:` between the key's text and the value's, only blanks, line breaks
  /// and comments. (An empty value after `:` may start lines later, with an
  /// anchor or a tag on its own line.)
  func lacksValueIndicator(_ value: NodeID, ofKey key: NodeID) -> Bool {
    guard tokenRange(of: value).isEmpty else { return false }
    let keyEnd = contentEnd(of: key)
    let valueStart = span(of: value).lowerBound
    guard keyEnd <= valueStart else { return false }
    let next = skipSpaceAndComments(from: keyEnd, limit: valueStart)
    return next == valueStart || source[next] != UInt8(ascii: ":")
  }

  /// An edit that replaces the value of the entry `key` → `value` with
  /// `fragment`, in the mapping's style.
  public func edit(
    replacingValue value: NodeID, ofKey key: NodeID, in mapping: NodeID,
    with fragment: YAMLFragment,
    layout: BlockLayout? = nil
  ) -> Edit {
    // A key written without `:` (`{a, b}`, `? key`) gets `: value`.
    if tokenRange(of: value).isEmpty,
      let edit = valueForKeyWithoutColon(
        value,
        token: { _ in
          var text: [UInt8] = []
          fragment.renderFlow(json: usesQuotedKeys(mapping), into: &text)
          return text
        })
    {
      return edit
    }
    if style(of: mapping) == .flow {
      var text: [UInt8] = []
      fragment.renderFlow(json: usesQuotedKeys(mapping), into: &text)
      return Edit(range: span(of: value).lowerBound..<contentEnd(of: value), replacement: text)
    }
    var colon = span(of: key).upperBound
    while colon < source.count && source[colon] != UInt8(ascii: ":") { colon += 1 }
    let end = lineEnd(after: contentEnd(of: value))
    var layout = layout ?? BlockLayout()
    layout.lineBreak = lineBreak(near: colon)
    var text: [UInt8] = []
    text.reserveCapacity(fragment.estimatedSize)
    fragment.renderBlockValue(
      indent: entryColumn(of: key), layout: layout, into: &text)
    if endsWithoutBreak(at: end) { text.removeLast(layout.lineBreak.count) }
    return Edit(range: min(colon + 1, end)..<end, replacement: text)
  }

  private func flowInsertion(
    _ entries: [(String, YAMLFragment)], into mapping: NodeID,
    existing: [(key: NodeID, value: NodeID)], json: Bool
  ) -> Edit {
    let rendered = Self.flowEntries(entries, json: json)
    return flowAppend(rendered, to: mapping, last: existing.last.map { ($0.key, $0.value) })
  }

  /// Each entry rendered as a flow mapping's `key: value`.
  private static func flowEntries(_ entries: [(String, YAMLFragment)], json: Bool) -> [[UInt8]] {
    entries.map { key, value in
      var text = ScalarWriter.token(for: Array(key.utf8), json: json) + Array(": ".utf8)
      value.renderFlow(json: json, into: &text)
      return text
    }
  }

  /// Appends rendered items to a flow collection: `, item` after the last
  /// one, or a new line at the last item's column when the collection spans
  /// lines; into an empty collection, before the closing bracket.
  private func flowAppend(
    _ rendered: [[UInt8]], to collection: NodeID, last: (start: NodeID, end: NodeID)?
  ) -> Edit {
    let closing = max(span(of: collection).lowerBound, span(of: collection).upperBound - 1)
    guard let last else {
      return Edit(
        range: closing..<closing, replacement: Array(rendered.joined(separator: Array(", ".utf8))))
    }
    let end = contentEnd(of: last.end)
    var text: [UInt8] = []
    if (end..<closing).contains(where: { breakLength(at: $0) > 0 }) {
      let lineBreak = lineBreak(near: end)
      let indent = Array(repeating: UInt8(0x20), count: column(of: span(of: last.start).lowerBound))
      for item in rendered { text += [UInt8(ascii: ",")] + lineBreak + indent + item }
    } else {
      for item in rendered { text += Array(", ".utf8) + item }
    }
    return Edit(range: end..<end, replacement: text)
  }

  // MARK: - Sequences

  /// An insertion that appends `items` to `sequence` in its layout: new
  /// `- item` lines at its dashes' column after its last item, or `, item`
  /// inside `[...]` (JSON-quoted when its first item is double-quoted).
  public func edit(appendingItems items: [YAMLFragment], to sequence: NodeID) -> Edit {
    let existing = Array(children(of: sequence))
    if style(of: sequence) == .flow || existing.isEmpty {
      let json = existing.first.map { style(of: $0) == .doubleQuoted } ?? false
      let rendered = items.map { item in
        var text: [UInt8] = []
        item.renderFlow(json: json, into: &text)
        return text
      }
      return flowAppend(rendered, to: sequence, last: existing.last.map { ($0, $0) })
    }
    let indent = column(of: span(of: sequence).lowerBound)
    let end = contentEnd(of: existing[existing.count - 1])
    let layout = BlockLayout(lineBreak: lineBreak(near: end))
    var text: [UInt8] = []
    let position = lineEnd(after: end)
    let openEnd = endsWithoutBreak(at: position)
    if openEnd { text += layout.lineBreak }
    for item in items { item.renderBlockItem(indent: indent, layout: layout, into: &text) }
    if openEnd { text.removeLast(layout.lineBreak.count) }
    return Edit(range: position..<position, replacement: text)
  }

  // MARK: - Removing entries

  /// An edit that removes the entry `key` from `mapping`: its whole lines in
  /// a block mapping (comments on other lines stay), `key: value` and one
  /// comma in a flow mapping. Nil when it is the only entry of a block
  /// mapping (which cannot be empty); replace the mapping's value instead.
  public func edit(removingEntry key: NodeID, from mapping: NodeID) -> Edit? {
    let entries = self.entries(of: mapping)
    guard let index = entries.firstIndex(where: { $0.key == key }) else { return nil }
    let entry = entries[index]
    let keyStart = span(of: entry.key).lowerBound
    let valueEnd = contentEnd(of: entry.value)
    if style(of: mapping) == .flow {
      if index > 0 {
        return Edit(range: contentEnd(of: entries[index - 1].value)..<valueEnd, replacement: [])
      }
      if entries.count > 1 {
        return Edit(
          range: keyStart..<span(of: entries[1].key).lowerBound, replacement: [])
      }
      return Edit(range: keyStart..<valueEnd, replacement: [])
    }
    guard entries.count > 1 else { return nil }
    var lineStart = keyStart
    while lineStart > 0 && !breakEnds(before: lineStart) { lineStart -= 1 }
    let onlyIndentBefore = source[lineStart..<keyStart].allSatisfy { $0 == 0x20 }
    if onlyIndentBefore {
      return Edit(range: lineStart..<lineEnd(after: valueEnd), replacement: [])
    }
    // The first key shares its line with a `- ` or `? `: pull the next key up.
    guard index + 1 < entries.count else { return nil }
    return Edit(range: keyStart..<span(of: entries[index + 1].key).lowerBound, replacement: [])
  }

  /// Edits that remove the entries keyed `removed` from the flow mapping
  /// `mapping` and append `entries`, together so that they never collide:
  /// each run of removed entries goes with one comma, so the kept entries
  /// and the text between them stay as they are; the new entries follow
  /// the last kept entry, or take the removed entries' place when none is
  /// kept (`{}` never gets a stray comma).
  public func flowEdits(
    removing removed: [NodeID], appending entries: [(String, YAMLFragment)],
    in mapping: NodeID
  ) -> [Edit] {
    let all = self.entries(of: mapping)
    let isRemoved = all.map { entry in removed.contains(entry.key) }
    let rendered = Self.flowEntries(entries, json: usesQuotedKeys(mapping))
    guard let lastKept = all.indices.last(where: { !isRemoved[$0] }) else {
      guard let first = all.first, let last = all.last else {
        return rendered.isEmpty ? [] : [flowAppend(rendered, to: mapping, last: nil)]
      }
      let range = span(of: first.key).lowerBound..<contentEnd(of: last.value)
      return [Edit(range: range, replacement: Array(rendered.joined(separator: Array(", ".utf8))))]
    }
    let appended =
      rendered.isEmpty
      ? nil : flowAppend(rendered, to: mapping, last: (all[lastKept].key, all[lastKept].value))
    var edits: [Edit] = []
    var index = 0
    while index < all.count {
      guard isRemoved[index] else {
        index += 1
        continue
      }
      var end = index
      while end + 1 < all.count && isRemoved[end + 1] { end += 1 }
      if index > 0 {
        // `, key: value` from the entry before; the new entries go in its
        // place when this run ends the mapping (one edit at that spot).
        let start = contentEnd(of: all[index - 1].value)
        let trailing = end == all.count - 1
        edits.append(
          Edit(
            range: start..<contentEnd(of: all[end].value),
            replacement: trailing ? appended?.replacement ?? [] : []))
        if trailing { return edits }
      } else {
        edits.append(
          Edit(
            range: span(of: all[0].key).lowerBound..<span(of: all[end + 1].key).lowerBound,
            replacement: []))
      }
      index = end + 1
    }
    if let appended { edits.append(appended) }
    return edits
  }

  // MARK: - Byte helpers

  /// Whether `offset` is the end of an input whose last line has no line
  /// break. New lines written there start with a break and end without
  /// one, so that several insertions at that end (entries of a nested
  /// mapping, then of its parent) join without a blank line between them,
  /// and the input's missing final break stays missing.
  func endsWithoutBreak(at offset: Int) -> Bool {
    offset == source.count && offset > 0 && !breakEnds(before: offset)
  }

  /// The offset after the line break that ends the line holding `offset`;
  /// `offset` itself when it already starts a line after a block scalar.
  func lineEnd(after offset: Int) -> Int {
    if offset > 0 && offset <= source.count && breakEnds(before: offset) { return offset }
    var index = offset
    while index < source.count {
      let length = breakLength(at: index)
      if length > 0 { return index + length }
      index += 1
    }
    return index
  }

  /// The length of the line break starting at `index` (``LineBreak``), 0
  /// when none starts there.
  func breakLength(at index: Int) -> Int { LineBreak.length(startingAt: index, in: source) }

  /// Whether a line break (``LineBreak``) ends right before `offset`.
  func breakEnds(before offset: Int) -> Bool {
    LineBreak.length(endingAt: offset - 1, in: source) > 0
  }

  /// The length of the space, tab or line break (``LineBreak``) starting at
  /// `index`, 0 when none does: what separates tokens to libyaml.
  func separatorLength(at index: Int) -> Int {
    guard index < source.count else { return 0 }
    let byte = source[index]
    return byte == 0x20 || byte == 0x09 ? 1 : breakLength(at: index)
  }

  /// Whether a space, tab or line break ends right before `offset`.
  func separatorEnds(before offset: Int) -> Bool {
    guard offset > 0 && offset <= source.count else { return false }
    let byte = source[offset - 1]
    return byte == 0x20 || byte == 0x09 || breakEnds(before: offset)
  }

  /// The offset of the first byte at or after `start` (and before `limit`)
  /// that is not a separator or inside a comment.
  func skipSpaceAndComments(from start: Int, limit: Int) -> Int {
    var index = start
    while index < limit {
      let separator = separatorLength(at: index)
      if separator > 0 {
        index = min(index + separator, limit)
      } else if source[index] == UInt8(ascii: "#") {
        while index < limit && breakLength(at: index) == 0 { index += 1 }
      } else {
        break
      }
    }
    return index
  }

  /// Letters, digits, `-` and `_`: what libyaml reads as an anchor name.
  static func isAnchorByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "_")
  }

  /// Letters, digits, `-`, `_`, `.` and non-ASCII: bytes that never change
  /// how the plain scalar around them reads.
  static func isPlainWordByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte >= 0x80
  }
}
