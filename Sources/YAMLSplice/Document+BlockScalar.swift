/// Block scalars (`|`, `>`): where their content is indented, and writing a
/// new value in the same style, so that a rewrite keeps the block.
extension Document {
  /// The header of a block scalar token: its indentation indicator (0 when
  /// none), chomping indicator (`-`, `+` or nil) and where the indicators
  /// end (the rest of the header line, blanks and a comment, follows).
  struct BlockScalarHeader {
    var indentIndicator: Int
    var chomping: UInt8?
    var indicatorsEnd: Int
  }

  /// Reads the header of the block scalar token starting at `start`.
  func blockScalarHeader(at start: Int, limit: Int) -> BlockScalarHeader {
    var header = BlockScalarHeader(indentIndicator: 0, chomping: nil, indicatorsEnd: start + 1)
    var index = start + 1
    while index < limit {
      let byte = source[index]
      if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
        header.chomping = byte
      } else if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") {
        header.indentIndicator = Int(byte - UInt8(ascii: "0"))
      } else {
        break
      }
      index += 1
    }
    header.indicatorsEnd = index
    return header
  }

  /// The indentation libyaml measures a block scalar's indentation
  /// indicator from: the column of the block collection holding `node`
  /// (its keys', or its dashes'), -1 at the document's root.
  /// Cost: O(length of the line before `node`).
  func enclosingIndent(of node: NodeID) -> Int {
    guard let parent = parent(of: node), style(of: parent) == .block else { return -1 }
    if kind(of: parent) == .mapping, let first = firstEntry(of: parent) {
      return entryColumn(of: first.key)
    }
    // A sequence item: the column of the `-` before it.
    var index = span(of: node).lowerBound
    while index > 0 && (source[index - 1] == 0x20 || source[index - 1] == 0x09) { index -= 1 }
    if index > 0 && source[index - 1] == UInt8(ascii: "-") { return column(of: index - 1) }
    return column(of: span(of: parent).lowerBound)
  }

  /// The column a block scalar's content lines start at, when its token
  /// says: from the indentation indicator, else from its first line with
  /// content. Nil for a scalar without content lines and indicator.
  func blockContentIndent(of node: NodeID, header: BlockScalarHeader, token: Range<Int>) -> Int? {
    if header.indentIndicator > 0 {
      let enclosing = enclosingIndent(of: node)
      return enclosing >= 0 ? enclosing + header.indentIndicator : header.indentIndicator
    }
    var index = lineEnd(after: header.indicatorsEnd)
    while index < token.upperBound {
      var spaces = 0
      while index + spaces < token.upperBound && source[index + spaces] == 0x20 { spaces += 1 }
      let next = index + spaces
      if next < token.upperBound && breakLength(at: next) == 0 { return spaces }
      guard next < token.upperBound else { return nil }
      index = next + breakLength(at: next)
    }
    return nil
  }

  /// A block scalar token holding `value` in place of `node`'s token, in
  /// the same style, with the same indentation indicator and header
  /// comment, its content at the same column; the chomping indicator is
  /// the one `value`'s final line breaks need. Blank lines that ended the
  /// old token stay unless they are part of the value (`+`). Nil when the
  /// value cannot be written in that style: characters a block scalar
  /// cannot hold (controls other than tab and `\n`, `\r`, special Unicode
  /// line breaks), a first line starting with a blank that needs an
  /// indicator the old token lacks and cannot get (more than 9 columns),
  /// a folded value over several lines, or a value that needs a final
  /// break where the old token ended the input without one.
  /// Cost: O(token + value).
  func blockScalarToken(replacing node: NodeID, with value: [UInt8]) -> [UInt8]? {
    let style = style(of: node)
    let token = tokenRange(of: node)
    guard style.isBlockScalar, !token.isEmpty, !ScalarWriter.hasSpecialCharacter(value) else {
      return nil
    }
    for byte in value where (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F {
      return nil
    }
    var trailing = 0
    while trailing < value.count && value[value.count - 1 - trailing] == 0x0A { trailing += 1 }
    let content = value[..<(value.count - trailing)]
    if content.isEmpty && trailing > 0 { return nil }
    let lines = content.split(separator: 0x0A, omittingEmptySubsequences: false)
    if style == .folded && lines.count > 1 { return nil }
    let header = blockScalarHeader(at: token.lowerBound, limit: token.upperBound)
    let enclosing = enclosingIndent(of: node)
    let indent =
      blockContentIndent(of: node, header: header, token: token) ?? max(enclosing, 0) + 2
    var indicator = header.indentIndicator
    // Without an indicator libyaml takes the indentation from the first
    // line with content, which then must not start with a blank.
    if indicator == 0, let first = lines.first(where: { !$0.isEmpty })?.first,
      first == 0x20 || first == 0x09
    {
      indicator = enclosing >= 0 ? indent - enclosing : indent
      guard (1...9).contains(indicator) else { return nil }
    }
    let endsWithBreak = breakEnds(before: token.upperBound)
    if !endsWithBreak && trailing > 0 { return nil }
    let lineBreak = lineBreak(near: token.lowerBound)
    var text: [UInt8] = [source[token.lowerBound]]
    if indicator > 0 { text.append(UInt8(ascii: "0") + UInt8(indicator)) }
    if trailing == 0 {
      text.append(UInt8(ascii: "-"))
    } else if trailing > 1 {
      text.append(UInt8(ascii: "+"))
    }
    // The rest of the header line: blanks and a comment.
    let headerEnd = lineEnd(after: header.indicatorsEnd)
    var restEnd = headerEnd
    while restEnd > header.indicatorsEnd && breakEnds(before: restEnd) { restEnd -= 1 }
    text += source[header.indicatorsEnd..<min(restEnd, token.upperBound)]
    for line in content.isEmpty ? [] : lines {
      text += lineBreak
      if !line.isEmpty {
        text += repeatElement(UInt8(0x20), count: indent)
        text += line
      }
    }
    if trailing > 0 {
      for _ in 0..<trailing { text += lineBreak }
    } else if endsWithBreak {
      text += lineBreak
    }
    if trailing <= 1 && endsWithBreak {
      // Blank lines after the old content were not part of its value
      // (unless it kept them): they stay.
      text += trailingBlankLines(of: token, header: header, indent: indent)
    }
    return text
  }

  /// The blank lines at the end of a block scalar token, after the line
  /// break of its last content line (or of its header): bytes that are
  /// layout, not value, unless the scalar keeps them (`+`). A line of more
  /// than `indent` spaces is content, not blank.
  private func trailingBlankLines(of token: Range<Int>, header: BlockScalarHeader, indent: Int)
    -> [UInt8]
  {
    guard header.chomping != UInt8(ascii: "+") else { return [] }
    var lastContentEnd = min(lineEnd(after: header.indicatorsEnd), token.upperBound)
    var index = lastContentEnd
    while index < token.upperBound {
      var end = index
      while end < token.upperBound && breakLength(at: end) == 0 { end += 1 }
      end = min(end + breakLength(at: end), token.upperBound)
      var spaces = 0
      while index + spaces < end && source[index + spaces] == 0x20 { spaces += 1 }
      if spaces > indent || (index + spaces < end && breakLength(at: index + spaces) == 0) {
        lastContentEnd = end
      }
      index = end
    }
    return Array(source[lastContentEnd..<token.upperBound])
  }
}
