/// Finds places where a YAML stream can be cut into independently parsed
/// parts without changing what libyaml reads.
///
/// A line that starts with `---` followed by a space, a tab or a line break
/// is a document start marker wherever it occurs: libyaml checks for it at
/// column 0 before anything else, ending block and plain scalars there and
/// rejecting quoted scalars and flow collections cut by it. So the bytes
/// before such a line parse alone exactly as they parse in the whole stream
/// (the document they end ends at the same byte), and the bytes from it on
/// start a fresh document. Two refinements keep parts meaningful:
/// - a marker right after a `%` directive line is not a cut (the directives
///   belong to the document the marker starts);
/// - a cut needs a content line before it (not blank, a comment, a
///   directive or `...`), so every part but the last holds a document.
///
/// Only `\n`-terminated lines are considered; markers after a lone `\r` or
/// a Unicode line separator are left inside a part, which is still correct.
public enum DocumentBoundary {
  /// The offset of the last cut in `bytes[start...]` at or after
  /// `searchStart`: the start of a document start marker line with a
  /// content line between `start` and it. Nil when there is none. A marker
  /// whose next byte is not yet in `bytes` is not a cut (`---x` would be a
  /// scalar), so a caller that appends bytes searches again from 4 bytes
  /// before the old end. Cost: O(bytes from `searchStart`), scanning
  /// backwards from the end, plus the lines before the first content line.
  public static func lastCut(
    in bytes: UnsafeBufferPointer<UInt8>, from start: Int, searchingFrom searchStart: Int
  ) -> Int? {
    guard let firstContent = firstContentLine(in: bytes, from: start) else { return nil }
    let lowest = max(firstContent, searchStart - 1)
    var lineStart = bytes.count
    // Walk line starts backwards; a candidate must start after the content line.
    while lineStart > lowest {
      guard let previousBreak = lastLineBreak(in: bytes, before: lineStart, lowest: lowest)
      else { return nil }
      let candidate = previousBreak + 1
      if candidate > firstContent && isMarker(bytes, at: candidate)
        && !lineStartsWithPercent(bytes, endingAt: previousBreak)
      {
        return candidate
      }
      lineStart = previousBreak
    }
    return nil
  }

  /// Whether `bytes[offset...]` starts with `---` and a space, tab or line break.
  static func isMarker(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    guard offset + 3 < bytes.count, bytes[offset] == 0x2D, bytes[offset + 1] == 0x2D,
      bytes[offset + 2] == 0x2D
    else { return false }
    let next = bytes[offset + 3]
    return next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D
  }

  /// The offset of the `\n` before `end` and at or after `lowest`, or nil.
  private static func lastLineBreak(
    in bytes: UnsafeBufferPointer<UInt8>, before end: Int, lowest: Int = 0
  ) -> Int? {
    var index = end - 1
    while index >= max(lowest, 0) {
      if bytes[index] == 0x0A { return index }
      index -= 1
    }
    return nil
  }

  /// Whether the line that ends with the `\n` at `lineBreak` starts with `%`.
  private static func lineStartsWithPercent(
    _ bytes: UnsafeBufferPointer<UInt8>, endingAt lineBreak: Int
  ) -> Bool {
    let start = (lastLineBreak(in: bytes, before: lineBreak) ?? -1) + 1
    return start < lineBreak && bytes[start] == 0x25
  }

  /// The offset of the first content line at or after `start` (lines start
  /// at `start` and after each `\n`), or nil when there is none yet.
  private static func firstContentLine(in bytes: UnsafeBufferPointer<UInt8>, from start: Int)
    -> Int?
  {
    var lineStart = start
    while lineStart < bytes.count {
      var index = lineStart
      if index + 2 < bytes.count, bytes[index] == 0xEF, bytes[index + 1] == 0xBB,
        bytes[index + 2] == 0xBF
      {
        index += 3
      }
      let first = index
      while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
      var lineEnd = index
      while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
      guard lineEnd < bytes.count else { return nil }  // the line may still grow
      if index < lineEnd && !isTrivialLine(bytes, first: first, content: index, end: lineEnd) {
        return lineStart
      }
      lineStart = lineEnd + 1
    }
    return nil
  }

  /// Whether a line holds no document: blank, a comment, a directive or `...`.
  private static func isTrivialLine(
    _ bytes: UnsafeBufferPointer<UInt8>, first: Int, content: Int, end: Int
  ) -> Bool {
    switch bytes[content] {
    case 0x0D, 0x23: return true  // a line break or a comment
    case 0x25: return content == first  // a directive
    case 0x2E:
      guard content == first, content + 2 < end, bytes[content + 1] == 0x2E,
        bytes[content + 2] == 0x2E
      else { return false }
      if content + 3 == end { return true }
      let next = bytes[content + 3]
      return next == 0x20 || next == 0x09 || next == 0x0D
    default: return false
    }
  }
}
