public import YAMLSplice

/// Finds hosts under a source domain inside a string, at DNS-label
/// boundaries only, and says what to replace.
///
/// A string is cut into host-like runs (letters, digits, `-`, `_`, `.`, `*`);
/// anything else (`/`, `:`, `@`, `,`, spaces, quotes, backticks, brackets)
/// ends a run, which covers plain hosts, `*.` wildcards, `host:port`,
/// Istio `ns/host`, URL authorities, comma lists and Traefik `Host(…)`
/// literals with one rule. A run matches a mapping when, ignoring case, it
/// equals `from` or ends with `.` + `from` (one trailing dot allowed). So
/// `notstaging.x.com`, `x-staging.x.com` and `staging.x.com.evil.io` never
/// match `staging.x.com`. The longest `from` wins, and a run already under a
/// `to` at least as long as the matched `from` is left alone, which keeps
/// `x.com → mirror.x.com` idempotent. A run right after `%XX` (a
/// percent-encoded `/` or `:`) is matched without those two hex digits; a
/// run next to a `%XX` that stands for a label byte or a dot is part of a
/// longer host and is not matched (`example.com%2Eevil.io`); and
/// a regex-escaped dot (`staging\.x\.com` in a Traefik `HostRegexp`, an
/// nginx snippet) counts as a dot: its replacement is escaped the same way.
public struct HostMatcher: Sendable {
  /// One replacement: the matched `from` suffix of a host and its mapping.
  /// Plain data; the host's name and the replacement bytes are read through
  /// the matcher (``hostName(of:in:)``, ``replacement(for:)``).
  public struct Match: Equatable, Sendable {
    /// Byte range of the `from` suffix in the scanned value.
    public var range: Range<Int>
    /// Byte range of the whole host (without a trailing dot).
    public var host: Range<Int>
    /// Index of the mapping in ``mappings``.
    public var mapping: Int
    /// Whether the host was written with regex-escaped dots (`\.`).
    public var escaped: Bool
  }

  /// The mappings, longest `from` first.
  public let mappings: [HostMapping]
  private let from: [[UInt8]]
  private let to: [[UInt8]]
  /// Each `to` with its dots regex-escaped, for matches written so.
  private let escapedTo: [[UInt8]]
  /// For a mapping whose `from` is under its own `to` (`staging.x.com →
  /// x.com`), the labels it drops with their dot (`staging.`); nil for
  /// the others. A match takes in every repetition of them before the
  /// `from` (`a.staging.staging.x.com → a.x.com`), so that what it writes
  /// is never under the `from` again: the pass is idempotent.
  private let dropped: [[UInt8]?]
  /// The first label of each `from`: every match, plain, percent-encoded
  /// or regex-escaped, contains one of them literally (ignoring case).
  let firstLabels: [[UInt8]]

  /// Creates a matcher; order of `mappings` does not matter.
  public init(_ mappings: [HostMapping]) {
    let sorted = mappings.sorted {
      $0.from.utf8.count != $1.from.utf8.count
        ? $0.from.utf8.count > $1.from.utf8.count : $0.from < $1.from
    }
    self.mappings = sorted
    self.from = sorted.map { Array($0.from.utf8) }
    self.to = sorted.map { Array($0.to.utf8) }
    self.escapedTo = to.map { bytes in
      var escaped: [UInt8] = []
      for byte in bytes {
        if byte == UInt8(ascii: ".") { escaped.append(UInt8(ascii: "\\")) }
        escaped.append(byte)
      }
      return escaped
    }
    self.dropped = sorted.map { mapping in
      guard mapping.from.hasSuffix("." + mapping.to) else { return nil }
      return Array(mapping.from.utf8.dropLast(mapping.to.utf8.count))
    }
    self.firstLabels = Array(
      Set(sorted.map { Array($0.from.utf8.prefix { $0 != UInt8(ascii: ".") }) })
    ).sorted { $0.lexicographicallyPrecedes($1) }
  }

  /// A fast test that may say yes when ``matches(in:into:)`` finds nothing,
  /// but never no when it finds something: whether a first label of a
  /// `from` occurs in the value. Cost: O(value · labels), no allocation.
  public func mayMatch(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
    for label in firstLabels where Self.firstOccurrence(of: label, in: value, from: 0) != nil {
      return true
    }
    return false
  }

  /// ``mayMatch(_:)`` for a scalar of a document, read in place.
  public func mayMatch(_ document: Document, _ node: NodeID) -> Bool {
    document.kind(of: node) == .scalar && document.withValue(of: node) { mayMatch($0) }
  }

  /// Where `label` (lowercase) first occurs in `bytes` at or after `start`,
  /// ignoring ASCII case. Sixteen positions are tested at a time for the
  /// label's first two bytes before a position is compared in full.
  /// Cost: O(bytes), no allocation.
  static func firstOccurrence(
    of label: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int
  ) -> Int? {
    guard let first = label.first, bytes.count >= label.count, let base = bytes.baseAddress
    else { return nil }
    let last = bytes.count - label.count
    return label.withUnsafeBufferPointer { label -> Int? in
      func matches(at index: Int) -> Bool {
        var offset = 0
        while offset < label.count && lowercase(base[index + offset]) == label[offset] {
          offset += 1
        }
        return offset == label.count
      }
      var index = start
      if label.count >= 2 {
        // A letter matches in either case: compare with the 0x20 bit set.
        let second = label[1]
        let fold0: UInt8 = first >= 0x61 && first <= 0x7A ? 0x20 : 0
        let fold1: UInt8 = second >= 0x61 && second <= 0x7A ? 0x20 : 0
        let want0 = SIMD16<UInt8>(repeating: first)
        let want1 = SIMD16<UInt8>(repeating: second)
        let mask0 = SIMD16<UInt8>(repeating: fold0)
        let mask1 = SIMD16<UInt8>(repeating: fold1)
        // Loads read bytes index..<index+17, all within `bytes`.
        while index + 17 <= bytes.count && index <= last {
          let raw = UnsafeRawPointer(base + index)
          let chunk0 = raw.loadUnaligned(as: SIMD16<UInt8>.self)
          let chunk1 = raw.loadUnaligned(fromByteOffset: 1, as: SIMD16<UInt8>.self)
          let hits = ((chunk0 | mask0) .== want0) .& ((chunk1 | mask1) .== want1)
          // Lanes that hit are 1: two words tell whether any did.
          let flags = SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: hits)
          let words = unsafeBitCast(flags, to: (UInt64, UInt64).self)
          if words.0 | words.1 != 0 {
            for lane in 0..<16 where flags[lane] != 0 && index + lane <= last {
              if matches(at: index + lane) { return index + lane }
            }
          }
          index += 16
        }
      }
      while index <= last {
        if lowercase(base[index]) == first && matches(at: index) { return index }
        index += 1
      }
      return nil
    }
  }

  /// Appends every host in `value` to rewrite to `matches`, in order.
  /// Cost: O(value · mappings) in the worst case, one pass over the bytes
  /// for hosts without a dot run; no allocation beyond `matches`' growth
  /// (a run with regex-escaped dots is unescaped into a small buffer).
  public func matches(in value: UnsafeBufferPointer<UInt8>, into matches: inout [Match]) {
    let count = value.count
    var index = 0
    while index < count {
      guard Self.startsHostRun(value, at: index) else {
        index += 1
        continue
      }
      var end = index
      var escaped = false
      while end < count {
        if Self.isHostByte(value[end]) {
          end += 1
        } else if Self.isEscapedDot(value, at: end) {
          escaped = true
          end += 2
        } else {
          break
        }
      }
      var start = index
      // A percent-encoded byte next to a run: `/`, `:` and the like end a
      // host; a letter, digit, `-`, `_` or `*` continues the label across
      // it, and `.` the host (`example.com%2Eevil.io` is
      // `example.com.evil.io`), so the run is not a whole host there.
      var partOfLongerHost = false
      if start >= 1 && value[start - 1] == UInt8(ascii: "%") && end - start > 2,
        let decoded = Self.percentDecoded(value, at: start - 1)
      {
        partOfLongerHost = Self.continuesLabel(decoded)
        start += 2
      }
      if let decoded = Self.percentDecoded(value, at: end),
        Self.continuesLabel(decoded) || decoded == UInt8(ascii: ".")
      {
        partOfLongerHost = true
      }
      if !partOfLongerHost {
        let found =
          escaped ? escapedMatch(value, run: start..<end) : match(value, run: start..<end)
        if let found { matches.append(found) }
      }
      index = end
    }
  }

  /// Every host in `value` to rewrite, in order. Cost: as
  /// ``matches(in:into:)``, plus the arrays.
  public func matches(in value: some Collection<UInt8>) -> [Match] {
    let bytes = Array(value)
    var result: [Match] = []
    bytes.withUnsafeBufferPointer { matches(in: $0, into: &result) }
    return result
  }

  /// Whether any mapping's `from` occurs in `value` at a label boundary and
  /// would be rewritten. Cost: as ``matches(in:into:)``.
  public func hasMatch(in value: some Collection<UInt8>) -> Bool { !matches(in: value).isEmpty }

  /// The bytes that replace a match's range: the mapping's `to`, with its
  /// dots escaped when the match was written with `\.`.
  public func replacement(for match: Match) -> [UInt8] {
    match.escaped ? escapedTo[match.mapping] : to[match.mapping]
  }

  /// Appends the host of `match` (found in `value`) as a name to `name`:
  /// escapes removed, leading dots dropped (`*.staging.example.com`).
  public func appendHostName(
    of match: Match, in value: UnsafeBufferPointer<UInt8>, to name: inout [UInt8]
  ) {
    let start = name.count
    var index = match.host.lowerBound
    while index < match.host.upperBound {
      if Self.isEscapedDot(value, at: index) { index += 1 }
      name.append(value[index])
      index += 1
    }
    var firstKept = start
    while firstKept < name.count && name[firstKept] == UInt8(ascii: ".") { firstKept += 1 }
    if firstKept < name.count { name.removeSubrange(start..<firstKept) }
  }

  /// The host of `match` (found in `value`) as a name, as
  /// ``appendHostName(of:in:to:)`` writes it.
  public func hostName(of match: Match, in value: some Collection<UInt8>) -> String {
    let bytes = Array(value)
    var name: [UInt8] = []
    bytes.withUnsafeBufferPointer { appendHostName(of: match, in: $0, to: &name) }
    return String(decoding: name, as: UTF8.self)
  }

  /// The match for the host-like run `run` of `bytes`, if any.
  private func match(_ bytes: UnsafeBufferPointer<UInt8>, run: Range<Int>) -> Match? {
    var hostEnd = run.upperBound
    if hostEnd - run.lowerBound > 1 && bytes[hostEnd - 1] == UInt8(ascii: ".") { hostEnd -= 1 }
    let host = run.lowerBound..<hostEnd
    guard let mapping = mappingIndex(bytes, host) else { return nil }
    var lower = hostEnd - from[mapping].count
    if let labels = dropped[mapping] {
      while lower - labels.count >= host.lowerBound
        && Self.endsWithLabels(bytes, host.lowerBound..<lower, labels)
      {
        lower -= labels.count
      }
    }
    return Match(range: lower..<hostEnd, host: host, mapping: mapping, escaped: false)
  }

  /// The match for a run holding `\.` escapes: matched on the unescaped
  /// text, mapped back to the original bytes.
  private func escapedMatch(_ bytes: UnsafeBufferPointer<UInt8>, run: Range<Int>) -> Match? {
    var plain: [UInt8] = []
    var origin: [Int] = []
    var index = run.lowerBound
    while index < run.upperBound {
      if Self.isEscapedDot(bytes, at: index) { index += 1 }
      plain.append(bytes[index])
      origin.append(index)
      index += 1
    }
    guard let found = plain.withUnsafeBufferPointer({ match($0, run: 0..<plain.count) }) else {
      return nil
    }
    return Match(
      range: origin[found.range.lowerBound]..<origin[found.range.upperBound - 1] + 1,
      host: origin[found.host.lowerBound]..<origin[found.host.upperBound - 1] + 1,
      mapping: found.mapping, escaped: true)
  }

  /// The mapping whose `from` the host ends with (longest first), unless the
  /// host is already under a `to` at least as long.
  private func mappingIndex(_ bytes: UnsafeBufferPointer<UInt8>, _ host: Range<Int>) -> Int? {
    for (offset, domain) in from.enumerated() where Self.endsWithLabels(bytes, host, domain) {
      for target in to where target.count >= domain.count {
        if Self.endsWithLabels(bytes, host, target) { return nil }
      }
      return offset
    }
    return nil
  }

  /// Whether a host-like run starts at `index`: a host byte or an escaped dot.
  static func startsHostRun(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    isHostByte(bytes[index]) || isEscapedDot(bytes, at: index)
  }

  /// Whether `bytes[index...]` is `\.`.
  static func isEscapedDot(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    bytes[index] == UInt8(ascii: "\\") && index + 1 < bytes.count
      && bytes[index + 1] == UInt8(ascii: ".")
  }

  /// Whether `bytes[host]` equals `domain` or ends with `.domain`, ignoring
  /// ASCII case.
  static func endsWithLabels(
    _ bytes: UnsafeBufferPointer<UInt8>, _ host: Range<Int>, _ domain: [UInt8]
  ) -> Bool {
    guard host.count >= domain.count else { return false }
    let start = host.upperBound - domain.count
    if start > host.lowerBound && bytes[start - 1] != UInt8(ascii: ".") { return false }
    var index = 0
    while index < domain.count {
      if lowercase(bytes[start + index]) != domain[index] { return false }
      index += 1
    }
    return true
  }

  @inline(__always)
  static func lowercase(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  @inline(__always)
  static func isHostByte(_ byte: UInt8) -> Bool {
    isHostLabelByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "*")
  }

  /// The byte `%XX` at `index` stands for, when `bytes[index...]` is one.
  static func percentDecoded(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt8? {
    guard index + 2 < bytes.count, bytes[index] == UInt8(ascii: "%"),
      let high = HexDigit.value(bytes[index + 1]), let low = HexDigit.value(bytes[index + 2])
    else { return nil }
    return high << 4 | low
  }

  /// Whether `byte` written next to a host's letters would be part of the
  /// same label (a label byte, or `*`).
  @inline(__always)
  static func continuesLabel(_ byte: UInt8) -> Bool {
    isHostLabelByte(byte) || byte == UInt8(ascii: "*")
  }
}
