/// New YAML content to insert (annotations, results): a small tree of
/// strings, mappings and sequences, rendered in the surrounding style.
public enum YAMLFragment: Equatable, Sendable {
  /// A string scalar.
  case scalar(String)
  /// An integer, written as a plain number.
  case integer(Int)
  /// A mapping with keys in the given order.
  case mapping([(String, YAMLFragment)])
  /// A sequence.
  case sequence([YAMLFragment])

  /// Equality by structure and text.
  public static func == (lhs: YAMLFragment, rhs: YAMLFragment) -> Bool {
    switch (lhs, rhs) {
    case (.scalar(let a), .scalar(let b)): a == b
    case (.integer(let a), .integer(let b)): a == b
    case (.sequence(let a), .sequence(let b)): a == b
    case (.mapping(let a), .mapping(let b)):
      a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: false
    }
  }
}

/// How new block content is laid out: taken from the document it goes into.
public struct BlockLayout: Equatable, Sendable {
  /// Spaces a nested mapping is indented by.
  public var step: Int
  /// Spaces a sequence's `-` is indented from its key (0: `key:\n- a`).
  public var sequenceIndent: Int
  /// The line break to write (`\n` or `\r\n`).
  public var lineBreak: [UInt8]

  /// Creates a layout.
  public init(step: Int = 2, sequenceIndent: Int = 0, lineBreak: [UInt8] = [0x0A]) {
    self.step = step
    self.sequenceIndent = sequenceIndent
    self.lineBreak = lineBreak
  }
}

extension YAMLFragment {
  /// About how many bytes the fragment renders to in block style (key,
  /// indentation and a quote pair per scalar counted generously), for
  /// reserving output capacity once. Cost: O(fragment), no allocation.
  var estimatedSize: Int {
    switch self {
    case .scalar(let text): text.utf8.count + 4
    case .integer: 21
    case .mapping(let entries):
      entries.reduce(2) { $0 + $1.0.utf8.count + 16 + $1.1.estimatedSize }
    case .sequence(let items): items.reduce(2) { $0 + 16 + $1.estimatedSize }
    }
  }

  /// The mapping's entries as a block document (other fragments: nothing),
  /// each line ending in `layout`'s break. Cost: O(output).
  public func renderBlockDocument(layout: BlockLayout = BlockLayout()) -> [UInt8] {
    guard case .mapping(let entries) = self else { return [] }
    var out: [UInt8] = []
    for (key, value) in entries {
      value.renderBlockEntry(key: key, indent: 0, layout: layout, into: &out)
    }
    return out
  }

  /// Renders `key: self` as block lines at `indent`, each ending in a break.
  /// Cost: O(output).
  func renderBlockEntry(key: String, indent: Int, layout: BlockLayout, into out: inout [UInt8]) {
    out.append(contentsOf: repeatElement(0x20, count: indent))
    ScalarWriter.appendToken(key, to: &out)
    out.append(UInt8(ascii: ":"))
    renderBlockValue(indent: indent, layout: layout, into: &out)
  }

  /// Renders the value part after `key:` (a space and scalar, or a break and
  /// nested lines).
  func renderBlockValue(indent: Int, layout: BlockLayout, into out: inout [UInt8]) {
    switch self {
    case .scalar(let text):
      out.append(0x20)
      ScalarWriter.appendToken(text, inFlow: false, to: &out)
      out.append(contentsOf: layout.lineBreak)
    case .integer(let number):
      out.append(0x20)
      out.append(contentsOf: String(number).utf8)
      out.append(contentsOf: layout.lineBreak)
    case .mapping(let entries) where entries.isEmpty:
      out.append(contentsOf: " {}".utf8)
      out.append(contentsOf: layout.lineBreak)
    case .sequence(let items) where items.isEmpty:
      out.append(contentsOf: " []".utf8)
      out.append(contentsOf: layout.lineBreak)
    case .mapping(let entries):
      out.append(contentsOf: layout.lineBreak)
      for (key, value) in entries {
        value.renderBlockEntry(key: key, indent: indent + layout.step, layout: layout, into: &out)
      }
    case .sequence(let items):
      out.append(contentsOf: layout.lineBreak)
      for item in items {
        item.renderBlockItem(indent: indent + layout.sequenceIndent, layout: layout, into: &out)
      }
    }
  }

  /// Renders `- self` at `indent`; a mapping's first key shares the dash line.
  func renderBlockItem(indent: Int, layout: BlockLayout, into out: inout [UInt8]) {
    out.append(contentsOf: repeatElement(0x20, count: indent))
    out.append(contentsOf: "- ".utf8)
    switch self {
    case .mapping(let entries) where !entries.isEmpty:
      for (offset, entry) in entries.enumerated() {
        let nested = indent + 2
        if offset == 0 {
          ScalarWriter.appendToken(entry.0, to: &out)
          out.append(UInt8(ascii: ":"))
          entry.1.renderBlockValue(indent: nested, layout: layout, into: &out)
        } else {
          entry.1.renderBlockEntry(key: entry.0, indent: nested, layout: layout, into: &out)
        }
      }
    default:
      // Scalars, and nested sequences written inline as `[a, b]`.
      var line: [UInt8] = []
      renderFlow(json: false, into: &line)
      out.append(contentsOf: line)
      out.append(contentsOf: layout.lineBreak)
    }
  }

  /// Renders the fragment on one line in flow style; `json` quotes every
  /// scalar so that JSON stays JSON.
  public func renderFlow(json: Bool, into out: inout [UInt8]) {
    switch self {
    case .scalar(let text):
      ScalarWriter.appendToken(text, json: json, to: &out)
    case .integer(let number):
      out.append(contentsOf: String(number).utf8)
    case .mapping(let entries):
      out.append(UInt8(ascii: "{"))
      for (offset, entry) in entries.enumerated() {
        if offset > 0 { out.append(contentsOf: ", ".utf8) }
        ScalarWriter.appendToken(entry.0, json: json, to: &out)
        out.append(contentsOf: ": ".utf8)
        entry.1.renderFlow(json: json, into: &out)
      }
      out.append(UInt8(ascii: "}"))
    case .sequence(let items):
      out.append(UInt8(ascii: "["))
      for (offset, item) in items.enumerated() {
        if offset > 0 { out.append(contentsOf: ", ".utf8) }
        item.renderFlow(json: json, into: &out)
      }
      out.append(UInt8(ascii: "]"))
    }
  }
}
