/// Finds where a YAML stream that arrives piece by piece can be cut into
/// independently parsed parts without changing what libyaml reads.
///
/// A line that starts with `---` followed by a space, a tab or a line break
/// is a document start marker wherever it occurs: libyaml checks for it at
/// column 0 before anything else, ending block and plain scalars there and
/// rejecting quoted scalars and flow collections cut by it. So the bytes
/// before such a line parse alone exactly as they parse in the whole stream
/// (the document they end ends at the same byte), and the bytes from it on
/// start a fresh document. Two refinements keep parts meaningful:
/// - a marker after `%` directive lines is not a cut (the directives belong
///   to the document the marker starts): the lines right before it that
///   hold no content are looked at, split at every line break libyaml
///   knows (`\r` alone and NEL, LS, PS too, after which a `%` is a
///   directive as well);
/// - a cut needs a content line before it (not blank, a comment, a
///   directive or `...`), so every part but the last holds a document.
///
/// Only markers after a `\n` are cuts; markers after a lone `\r` or
/// a Unicode line separator are left inside a part, which is still correct.
/// A stream that opens with a UTF-16 byte order mark is never cut (libyaml
/// decodes all of it as UTF-16).
///
/// Concatenated JSON objects (`{…}{…}`, `{…}\n{…}`) are cut where each
/// object after the first starts (``ConcatenatedJSON``): libyaml cannot read
/// them as one stream, so the parts must be parsed apart.
///
/// The cutter remembers what it has scanned, so feeding a stream through it
/// costs O(stream) in all, however long its lines.
public struct DocumentCutter {
  /// Offset of the first content line in the buffer, once found.
  private var contentLine: Int?
  /// Where the search for a content line resumes.
  private var scan = 0
  /// Whether `scan` is inside a line already known to hold no content.
  private var inTrivialLine = false
  /// The buffer's length at the last search: markers whose line break lies
  /// before `searched - 4` were all decided then.
  private var searched = 0
  /// Whether the buffer starts at the beginning of the input (a BOM may
  /// open it).
  private var atInputStart = true
  /// Whether the input is UTF-16 (a UTF-16 BOM opens it): libyaml decodes
  /// the whole stream as such, so no part may be read on its own.
  private var isUTF16 = false
  /// The scan for concatenated JSON objects, and the last boundary it found
  /// that was not cut yet.
  private var objects = ConcatenatedJSON()
  private var objectBoundary: Int?

  /// Creates a cutter for a stream whose first bytes are not read yet.
  public init() {}

  /// The offset of the last cut in `bytes` (see ``lastMarkerCut(in:)``),
  /// or of the last start of a concatenated JSON object after the first,
  /// whichever is later. Nil when there is neither yet. Cost: O(bytes added
  /// since the last call).
  public mutating func lastCut(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    objects.scan(bytes) { objectBoundary = $0 }
    let marker = lastMarkerCut(in: bytes)
    guard let object = objectBoundary else { return marker }
    return max(object, marker ?? 0)
  }

  /// The offset of the last marker cut in `bytes` (the buffer so far, from
  /// the part start): the start of a document start marker line with a content
  /// line before it. Nil when there is none yet. A marker whose next byte is
  /// not yet in `bytes` is not a cut (`---x` would be a scalar). Cost:
  /// O(bytes added since the last call).
  private mutating func lastMarkerCut(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    if contentLine == nil && !isUTF16 { findContentLine(in: bytes) }
    let previous = searched
    searched = bytes.count
    guard let content = contentLine else { return nil }
    let lowest = max(content, previous - 4)
    var lineStart = bytes.count
    while lineStart > lowest {
      guard let lineBreak = Self.lastLineBreak(in: bytes, before: lineStart, lowest: lowest)
      else { return nil }
      let candidate = lineBreak + 1
      if candidate > content && Self.isMarker(bytes, at: candidate)
        && !Self.directivePrecedes(bytes, markerAt: candidate)
      {
        return candidate
      }
      lineStart = lineBreak
    }
    return nil
  }

  /// Tells the cutter that the caller removed the first `count` bytes, up to
  /// a cut it returned: the buffer now starts with a marker line.
  public mutating func removeFirst(_ count: Int) {
    objects.removeFirst(count)
    objectBoundary = objectBoundary.flatMap { $0 > count ? $0 - count : nil }
    contentLine = 0
    scan = 0
    inTrivialLine = false
    searched = max(0, searched - count)
    atInputStart = false
  }

  /// Advances the content-line search over the bytes not scanned yet.
  private mutating func findContentLine(in bytes: UnsafeBufferPointer<UInt8>) {
    var index = scan
    while index < bytes.count {
      if inTrivialLine {
        while index < bytes.count && bytes[index] != 0x0A { index += 1 }
        guard index < bytes.count else { break }
        index += 1
        inTrivialLine = false
        continue
      }
      let lineStart = index
      var first = index
      if atInputStart && lineStart == 0 {
        guard bytes.count >= 3 else { break }
        if bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { first = 3 }
        if (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
          isUTF16 = true
          return
        }
      }
      var content = first
      while content < bytes.count && (bytes[content] == 0x20 || bytes[content] == 0x09) {
        content += 1
      }
      guard content < bytes.count else { break }
      switch Self.classify(bytes, first: first, content: content) {
      case .blank:
        index = content + 1
      case .trivial:
        inTrivialLine = true
        index = content
      case .content:
        contentLine = lineStart
        return
      case .undecided:
        scan = lineStart
        return
      }
    }
    scan = index
  }

  private enum LineKind { case blank, trivial, content, undecided }

  /// What a line holds, judged from its first non-blank byte at `content`
  /// (`first` is where the line's text starts).
  private static func classify(
    _ bytes: UnsafeBufferPointer<UInt8>, first: Int, content: Int
  ) -> LineKind {
    switch bytes[content] {
    case 0x0A: return .blank
    case 0x0D, 0x23: return .trivial  // a line break or a comment
    case 0x25: return content == first ? .trivial : .content  // a directive
    case 0x2E where content == first:
      // `...` alone (or before a blank) ends a document without one.
      guard content + 3 < bytes.count else { return .undecided }
      guard bytes[content + 1] == 0x2E, bytes[content + 2] == 0x2E else { return .content }
      let next = bytes[content + 3]
      return next == 0x20 || next == 0x09 || next == 0x0D || next == 0x0A ? .trivial : .content
    default: return .content
    }
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

  /// Whether a `%` directive is among the lines right before the marker at
  /// `marker` (which follows a `\n`) that are blank or comments. Lines are
  /// split at every line break libyaml knows. Cost: O(those lines and the
  /// content line before them).
  static func directivePrecedes(_ bytes: UnsafeBufferPointer<UInt8>, markerAt marker: Int) -> Bool {
    var lineEnd = marker - LineBreak.length(endingAt: marker - 1, in: bytes)
    while true {
      var start = lineEnd
      var width = 0
      while start > 0 {
        width = LineBreak.length(endingAt: start - 1, in: bytes)
        if width > 0 { break }
        start -= 1
      }
      if start < lineEnd && bytes[start] == 0x25 { return true }
      var first = start
      while first < lineEnd && (bytes[first] == 0x20 || bytes[first] == 0x09) { first += 1 }
      guard first == lineEnd || bytes[first] == 0x23, start > 0 else { return false }
      lineEnd = start - width
    }
  }
}
