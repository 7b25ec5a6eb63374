/// Finds where the top-level objects of concatenated JSON begin (`jq -c`
/// output: `{…}{…}` or `{…}\n{…}`, which kubectl accepts), so that each
/// can be parsed as a document of its own: libyaml reads one flow mapping
/// per document and refuses a second one after it without a `---`.
///
/// The input counts as concatenated objects while its top level holds
/// only blanks (space, tab, CR, LF; a UTF-8 byte order mark first) and
/// `{…}` objects; anything else there (a `---`, a key, a comment) and no
/// further boundary is reported, so YAML is never cut by this rule.
/// Inside an object, double-quoted strings (with backslash escapes),
/// single-quoted scalars (`''` escapes), `#` comments and nested brackets
/// are followed, as libyaml reads a flow collection: a quote opens a
/// scalar only where a scalar can start (after a bracket, `,`, `:` or a
/// blank), so a `"` inside a plain scalar is not taken for a string.
///
/// The scanner keeps its state between calls, so a stream read in blocks
/// is scanned once in all: O(input), no allocation.
public struct ConcatenatedJSON: Sendable {
  /// Collection depth: 0 between top-level objects.
  private var depth = 0
  /// `"` or `'` inside a quoted scalar, else 0.
  private var quote: UInt8 = 0
  /// After a backslash inside a double-quoted string.
  private var escaped = false
  /// After a `'` that may close a single-quoted scalar or start `''`.
  private var closingSingleQuote = false
  /// Inside a `#` comment (up to the line's end).
  private var inComment = false
  /// Whether a quote at this point would open a scalar.
  private var quoteMayOpen = true
  /// Whether a top-level object has closed (a `{` after it is a boundary).
  private var sawObject = false
  /// Whether the input is not, or no longer, concatenated objects.
  private var broken = false
  /// Offset of the next byte to scan, from the start of the buffer.
  private var offset = 0
  /// Whether the scan is still at the very start of the input (a byte
  /// order mark may come first).
  private var atInputStart = true

  /// A scanner for an input whose first bytes are not read yet.
  public init() {}

  /// Whether the input still reads as concatenated objects so far.
  public var isConcatenatedObjects: Bool { !broken }

  /// Scans the bytes of `bytes` not scanned yet and calls `boundary` with
  /// the offset of every top-level `{` that follows a complete top-level
  /// object: where the next document starts. Cost: O(new bytes).
  public mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, boundary: (Int) -> Void) {
    while offset < bytes.count && !broken {
      let byte = bytes[offset]
      defer { offset += 1 }
      if atInputStart && offset < 3 && byte == [0xEF, 0xBB, 0xBF][offset] { continue }
      atInputStart = false
      if depth == 0 {
        topLevel(byte, boundary: boundary)
      } else {
        inside(byte)
      }
    }
  }

  /// Tells the scanner that the caller removed the first `count` bytes of
  /// the buffer (up to a boundary or another cut).
  public mutating func removeFirst(_ count: Int) {
    offset = max(0, offset - count)
    atInputStart = false
  }

  /// The boundaries in `bytes`, scanned whole from its start (a part that
  /// starts at the input's start or at a cut). Cost: O(bytes).
  public static func boundaries(in bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
    var scanner = ConcatenatedJSON()
    var found: [Int] = []
    scanner.scan(bytes) { found.append($0) }
    return found
  }

  /// ``boundaries(in:)`` of an array.
  public static func boundaries(in bytes: [UInt8]) -> [Int] {
    bytes.withUnsafeBufferPointer { boundaries(in: $0) }
  }

  /// The ranges of `bytes` that hold one object each (the blanks between
  /// two objects go with the second), or nil when `bytes` does not hold
  /// two or more concatenated objects. Cost: O(bytes).
  public static func pieces(of bytes: [UInt8]) -> [Range<Int>]? {
    let starts = boundaries(in: bytes)
    guard !starts.isEmpty else { return nil }
    let bounds = [0] + starts + [bytes.count]
    return zip(bounds, bounds.dropFirst()).map { $0..<$1 }
  }

  /// The documents of `bytes` as a filter run reads them: each of two or
  /// more concatenated objects parsed on its own, anything else as one
  /// stream. Throws the first syntax error (positions within its piece).
  public static func parseDocuments(_ bytes: [UInt8]) throws(YAMLSyntaxError) -> [Document] {
    guard let pieces = pieces(of: bytes) else { return try StreamParser.parse(bytes) }
    var documents: [Document] = []
    for piece in pieces { documents += try StreamParser.parse(Array(bytes[piece])) }
    return documents
  }

  private mutating func topLevel(_ byte: UInt8, boundary: (Int) -> Void) {
    switch byte {
    case 0x20, 0x09, 0x0A, 0x0D:
      break
    case UInt8(ascii: "{"):
      if sawObject { boundary(offset) }
      depth = 1
      quoteMayOpen = true
    default:
      broken = true
    }
  }

  private mutating func inside(_ byte: UInt8) {
    if closingSingleQuote {
      closingSingleQuote = false
      if byte == UInt8(ascii: "'") {
        quote = UInt8(ascii: "'")
        return
      }
      quote = 0
      quoteMayOpen = false
    }
    if quote == UInt8(ascii: "\"") {
      if escaped {
        escaped = false
      } else if byte == UInt8(ascii: "\\") {
        escaped = true
      } else if byte == UInt8(ascii: "\"") {
        quote = 0
        quoteMayOpen = false
      }
      return
    }
    if quote == UInt8(ascii: "'") {
      if byte == UInt8(ascii: "'") { closingSingleQuote = true }
      return
    }
    if inComment {
      if byte == 0x0A || byte == 0x0D {
        inComment = false
        quoteMayOpen = true
      }
      return
    }
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "'"):
      if quoteMayOpen { quote = byte }
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      depth += 1
      quoteMayOpen = true
    case UInt8(ascii: "}"), UInt8(ascii: "]"):
      depth -= 1
      quoteMayOpen = false
      if depth == 0 {
        // A top-level `[…]` or a `]` closing the object: not JSON objects.
        if byte == UInt8(ascii: "]") { broken = true }
        sawObject = true
      }
    case UInt8(ascii: ","), UInt8(ascii: ":"), 0x20, 0x09, 0x0A, 0x0D:
      quoteMayOpen = true
    case UInt8(ascii: "#"):
      if quoteMayOpen { inComment = true }
    default:
      quoteMayOpen = false
    }
  }
}
