/// An edit that writes a sequence whose items are produced only while the
/// output is written (a list's `results`, which can be larger than the
/// input): the text around the items, where they go and how they are laid
/// out.
public struct SequenceSlot: Equatable, Sendable {
  /// How the items are written.
  public enum Style: Equatable, Sendable {
    /// `- item` lines at `indent`, nested content laid out by `layout`.
    case block(indent: Int, layout: BlockLayout)
    /// Inside `[...]`, separated by `, `; every scalar double-quoted with `json`.
    case flow(json: Bool)
  }

  /// The edit; its replacement is the text before and after the items, and
  /// its ``Edit/hole`` says where the items go.
  public var edit: Edit
  /// How the items are written.
  public var style: Style
}

extension Document {
  /// The slot for a sequence under `key` in `mapping`: the value of an
  /// existing entry is replaced, else the entry is appended, in the
  /// mapping's style (as ``edit(appending:to:layout:)`` and
  /// ``edit(replacingValue:ofKey:in:with:layout:)`` write it). `layout` gives
  /// the block indentation steps; the line break is the document's.
  ///
  /// The edit is built by rendering a one-item sequence with a marker item,
  /// which is then cut out, so both kinds of edit keep one implementation.
  /// Cost: O(mapping entries).
  public func sequenceSlot(forKey key: String, in mapping: NodeID, layout: BlockLayout)
    -> SequenceSlot
  {
    let marker = Array("krm-mirror-sequence-slot".utf8)
    let fragment = YAMLFragment.sequence([.scalar(String(decoding: marker, as: UTF8.self))])
    let edit: Edit
    if let entry = entry(key, in: mapping) {
      edit = self.edit(
        replacingValue: entry.value, ofKey: entry.key, in: mapping, with: fragment, layout: layout)
    } else {
      edit = self.edit(appending: [(key, fragment)], to: mapping, layout: layout)
    }
    let text = edit.replacement
    guard let markerStart = Self.firstOccurrence(of: marker, in: text) else {
      preconditionFailure("sequence slot marker not rendered")
    }
    var itemStart = markerStart
    var itemEnd = markerStart + marker.count
    let style: SequenceSlot.Style
    if itemStart >= 2 && text[itemStart - 2] == UInt8(ascii: "-") && text[itemStart - 1] == 0x20 {
      // Block: the marker's whole `- marker` line is the item.
      var lineStart = itemStart - 2
      while lineStart > 0 && text[lineStart - 1] == 0x20 { lineStart -= 1 }
      let indent = itemStart - 2 - lineStart
      var lineEnd = itemEnd
      while lineEnd < text.count && text[lineEnd] != 0x0A { lineEnd += 1 }
      var itemLayout = layout
      // The marker line has no break when it ends an input that has none
      // (``endsWithoutBreak(at:)``); the items still end their lines.
      itemLayout.lineBreak =
        lineEnd < text.count
        ? Array(text[itemEnd...lineEnd]) : lineBreak(near: edit.range.lowerBound)
      itemStart = lineStart
      itemEnd = min(lineEnd + 1, text.count)
      style = .block(indent: indent, layout: itemLayout)
    } else {
      // Flow: `[marker]`, or `["marker"]` in JSON.
      let json = itemStart >= 1 && text[itemStart - 1] == UInt8(ascii: "\"")
      if json {
        itemStart -= 1
        itemEnd += 1
      }
      style = .flow(json: json)
    }
    var slotEdit = edit
    slotEdit.replacement = Array(text[..<itemStart] + text[itemEnd...])
    slotEdit.hole = itemStart
    return SequenceSlot(edit: slotEdit, style: style)
  }

  private static func firstOccurrence(of needle: [UInt8], in text: [UInt8]) -> Int? {
    guard text.count >= needle.count else { return nil }
    for start in 0...(text.count - needle.count)
    where text[start] == needle[0] && text[start..<start + needle.count].elementsEqual(needle) {
      return start
    }
    return nil
  }
}
