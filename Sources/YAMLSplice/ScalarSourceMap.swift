/// Where each verbatim run of a scalar's decoded value sits in the source.
///
/// Built by decoding the scalar's token ourselves (quotes, escapes, folding,
/// block indentation, chomping) while recording which value bytes were
/// copied unchanged from which source bytes. The decoding is checked against
/// libyaml's value: when they differ the map is not built, and callers fall
/// back to rewriting the whole scalar. A token whose content is the value
/// itself (one line, no escapes) maps as one run without decoding.
/// Cost: O(token length).
struct ScalarSourceMap {
  /// A run of value bytes that appear unchanged in the source.
  struct Segment {
    var value: Int
    var source: Int
    var length: Int
  }

  let segments: [Segment]

  /// The source range holding value bytes `range`, when they form one
  /// verbatim run; nil when they cross an escape, a fold or a line break.
  func sourceRange(ofValue range: Range<Int>) -> Range<Int>? {
    for segment in segments
    where segment.value <= range.lowerBound && range.upperBound <= segment.value + segment.length {
      let start = segment.source + (range.lowerBound - segment.value)
      return start..<start + range.count
    }
    return nil
  }

  /// Builds the map for `node`'s token, or nil when the decoding does not
  /// reproduce libyaml's value exactly.
  init?(document: Document, node: NodeID) {
    // The common case needs no decoding: the token's content is the value.
    if let start = document.verbatimContentStart(of: node) {
      segments = [Segment(value: 0, source: start, length: document.valueLength(of: node))]
      return
    }
    let token = document.tokenRange(of: node)
    var decoder = ScalarDecoder(source: document.source, token: token)
    switch document.style(of: node) {
    case .plain: decoder.decodeFlow(quote: nil)
    case .singleQuoted: decoder.decodeFlow(quote: UInt8(ascii: "'"))
    case .doubleQuoted: decoder.decodeFlow(quote: UInt8(ascii: "\""))
    case .literal, .folded:
      // An indentation indicator counts from the enclosing collection's
      // indentation, which the token itself does not show.
      let header = document.blockScalarHeader(at: token.lowerBound, limit: token.upperBound)
      let indent =
        header.indentIndicator > 0
        ? document.blockContentIndent(of: node, header: header, token: token) : nil
      decoder.decodeBlock(folded: document.style(of: node) == .folded, indent: indent)
    default: return nil
    }
    guard decoder.valid, document.withValue(of: node, { $0.elementsEqual(decoder.value) })
    else { return nil }
    segments = decoder.segments
  }
}

/// Decodes one scalar token into its value, recording verbatim runs.
private struct ScalarDecoder {
  let source: [UInt8]
  let token: Range<Int>
  var value: [UInt8] = []
  var segments: [ScalarSourceMap.Segment] = []
  var valid = true

  init(source: [UInt8], token: Range<Int>) {
    self.source = source
    self.token = token
  }

  mutating func copy(_ range: Range<Int>) {
    guard !range.isEmpty else { return }
    if let last = segments.last, last.source + last.length == range.lowerBound,
      last.value + last.length == value.count
    {
      segments[segments.count - 1].length += range.count
    } else {
      segments.append(.init(value: value.count, source: range.lowerBound, length: range.count))
    }
    value.append(contentsOf: source[range])
  }

  static func isBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }
  static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

  /// Index after the line break starting at `index`.
  func skipBreak(_ index: Int) -> Int {
    if source[index] == 0x0D && index + 1 < token.upperBound && source[index + 1] == 0x0A {
      return index + 2
    }
    return index + 1
  }

  // MARK: Plain and quoted scalars

  /// Decodes a plain (`quote == nil`) or quoted scalar: line folding plus
  /// `''` (single) or backslash escapes (double).
  mutating func decodeFlow(quote: UInt8?) {
    var index = token.lowerBound
    var end = token.upperBound
    if let quote {
      guard end - index >= 2, source[index] == quote, source[end - 1] == quote else {
        valid = false
        return
      }
      index += 1
      end -= 1
    }
    var runStart = index
    while index < end {
      let byte = source[index]
      if Self.isBreak(byte) || (Self.isBlank(byte) && lineIsBlankFrom(index, end: end)) {
        // Trailing blanks of a line are dropped, then the break is folded.
        copy(runStart..<index)
        index = fold(from: index, end: end)
        runStart = index
      } else if quote == UInt8(ascii: "'") && byte == quote {
        copy(runStart..<index + 1)
        index += 2
        runStart = index
      } else if quote == UInt8(ascii: "\"") && byte == UInt8(ascii: "\\") {
        copy(runStart..<index)
        index = unescape(at: index, end: end)
        runStart = index
        if !valid { return }
      } else {
        index += 1
      }
    }
    copy(runStart..<end)
  }

  /// Whether only blanks follow `index` up to a line break (not to `end`).
  func lineIsBlankFrom(_ index: Int, end: Int) -> Bool {
    var scan = index
    while scan < end && Self.isBlank(source[scan]) { scan += 1 }
    return scan < end && Self.isBreak(source[scan])
  }

  /// Folds the blanks and line breaks at `index`: one break becomes a space,
  /// n > 1 breaks become n - 1 newlines; leading blanks of the next line go.
  mutating func fold(from start: Int, end: Int) -> Int {
    var index = start
    while index < end && Self.isBlank(source[index]) { index += 1 }
    var breaks = 0
    while index < end {
      if Self.isBreak(source[index]) {
        breaks += 1
        index = skipBreak(index)
      } else if Self.isBlank(source[index]) {
        index += 1
      } else {
        break
      }
    }
    if breaks == 0 {
      return index
    } else if breaks == 1 {
      value.append(0x20)
    } else {
      value.append(contentsOf: repeatElement(0x0A, count: breaks - 1))
    }
    return index
  }

  /// Decodes the escape at `index` (a backslash) and returns the index after it.
  mutating func unescape(at index: Int, end: Int) -> Int {
    guard index + 1 < end else {
      valid = false
      return end
    }
    let code = source[index + 1]
    var hexDigits = 0
    switch code {
    case UInt8(ascii: "0"): value.append(0)
    case UInt8(ascii: "a"): value.append(7)
    case UInt8(ascii: "b"): value.append(8)
    case UInt8(ascii: "t"), 0x09: value.append(9)
    case UInt8(ascii: "n"): value.append(10)
    case UInt8(ascii: "v"): value.append(11)
    case UInt8(ascii: "f"): value.append(12)
    case UInt8(ascii: "r"): value.append(13)
    case UInt8(ascii: "e"): value.append(0x1B)
    case 0x20, UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "\\"): value.append(code)
    case UInt8(ascii: "N"): value.append(contentsOf: [0xC2, 0x85])
    case UInt8(ascii: "_"): value.append(contentsOf: [0xC2, 0xA0])
    case UInt8(ascii: "L"): value.append(contentsOf: [0xE2, 0x80, 0xA8])
    case UInt8(ascii: "P"): value.append(contentsOf: [0xE2, 0x80, 0xA9])
    case UInt8(ascii: "x"): hexDigits = 2
    case UInt8(ascii: "u"): hexDigits = 4
    case UInt8(ascii: "U"): hexDigits = 8
    case 0x0A, 0x0D:
      // An escaped line break joins the lines without a space.
      var next = skipBreak(index + 1)
      while next < end {
        if Self.isBlank(source[next]) {
          next += 1
        } else if Self.isBreak(source[next]) {
          value.append(0x0A)
          next = skipBreak(next)
        } else {
          break
        }
      }
      return next
    default:
      valid = false
      return end
    }
    guard hexDigits > 0 else { return index + 2 }
    guard index + 2 + hexDigits <= end else {
      valid = false
      return end
    }
    var scalarValue: UInt32 = 0
    for byte in source[index + 2..<index + 2 + hexDigits] {
      guard let digit = HexDigit.value(byte) else {
        valid = false
        return end
      }
      scalarValue = scalarValue << 4 | UInt32(digit)
    }
    guard let scalar = Unicode.Scalar(scalarValue) else {
      valid = false
      return end
    }
    value.append(contentsOf: String(Character(scalar)).utf8)
    return index + 2 + hexDigits
  }

  // MARK: Block scalars

  /// Decodes a literal or folded block scalar: header, indentation, folding
  /// (for `>`), chomping. `indent` is the content's column when an
  /// indentation indicator fixes it; nil to detect it from the first line
  /// with content.
  mutating func decodeBlock(folded: Bool, indent fixedIndent: Int?) {
    var index = token.lowerBound + 1
    var chomping: UInt8 = 0  // 0 clip, '-' strip, '+' keep
    while index < token.upperBound {
      let byte = source[index]
      if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
        chomping = byte
      } else if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") {
        // The indentation indicator: `fixedIndent` says what it means.
      } else {
        break
      }
      index += 1
    }
    // Skip the rest of the header line (blanks, comment) and its break.
    while index < token.upperBound && !Self.isBreak(source[index]) { index += 1 }
    guard index < token.upperBound else { return }
    index = skipBreak(index)
    // Collect the content lines.
    var lines: [Range<Int>] = []
    while index < token.upperBound {
      var lineEnd = index
      while lineEnd < token.upperBound && !Self.isBreak(source[lineEnd]) { lineEnd += 1 }
      lines.append(index..<lineEnd)
      index = lineEnd < token.upperBound ? skipBreak(lineEnd) : lineEnd
    }
    var indent = fixedIndent ?? 0
    if fixedIndent == nil {
      for line in lines {
        var spaces = 0
        while line.lowerBound + spaces < line.upperBound && source[line.lowerBound + spaces] == 0x20
        {
          spaces += 1
        }
        if line.lowerBound + spaces < line.upperBound {
          indent = spaces
          break
        }
        indent = max(indent, spaces)
      }
    }
    var trailingBreaks = 0
    var sawContent = false
    var previousMoreIndented = false
    for line in lines {
      let contentStart = line.lowerBound + min(indent, line.count)
      var spaces = 0
      while line.lowerBound + spaces < line.upperBound && source[line.lowerBound + spaces] == 0x20 {
        spaces += 1
      }
      let isEmpty = line.lowerBound + spaces == line.upperBound && spaces <= indent
      if isEmpty {
        trailingBreaks += 1
        continue
      }
      guard spaces >= indent else {
        valid = false
        return
      }
      let moreIndented = contentStart < line.upperBound && Self.isBlank(source[contentStart])
      if sawContent {
        if folded && !previousMoreIndented && !moreIndented {
          if trailingBreaks == 0 {
            value.append(0x20)
          } else {
            value.append(contentsOf: repeatElement(0x0A, count: trailingBreaks))
          }
        } else {
          value.append(contentsOf: repeatElement(0x0A, count: trailingBreaks + 1))
        }
      } else {
        value.append(contentsOf: repeatElement(0x0A, count: trailingBreaks))
      }
      copy(contentStart..<line.upperBound)
      sawContent = true
      previousMoreIndented = moreIndented
      trailingBreaks = 0
    }
    // The last content line's own break plus any blank lines after it.
    let endsWithBreak =
      token.upperBound > token.lowerBound && Self.isBreak(source[token.upperBound - 1])
    var finalBreaks = trailingBreaks
    if sawContent && endsWithBreak {
      finalBreaks += 1
    }
    if !sawContent { finalBreaks = trailingBreaks }
    switch chomping {
    case UInt8(ascii: "-"): break
    case UInt8(ascii: "+"): value.append(contentsOf: repeatElement(0x0A, count: finalBreaks))
    default: if sawContent && finalBreaks > 0 { value.append(0x0A) }
    }
  }
}
