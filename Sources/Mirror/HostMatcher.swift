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
/// percent-encoded `/` or `:`) is matched without those two hex digits, and
/// a regex-escaped dot (`staging\.x\.com` in a Traefik `HostRegexp`, an
/// nginx snippet) counts as a dot: its replacement is escaped the same way.
public struct HostMatcher: Sendable {
  /// One replacement: the matched `from` suffix of a host and its mapping.
  public struct Match: Equatable, Sendable {
    /// Byte range of the `from` suffix in the scanned value.
    public var range: Range<Int>
    /// Byte range of the whole host (without a trailing dot).
    public var host: Range<Int>
    /// Index of the mapping in ``mappings``.
    public var mapping: Int
    /// The host as a name: lowercase-insensitive text with escapes removed
    /// and leading dots dropped (`*.staging.example.com`).
    public var hostName: String
    /// The bytes that replace `range`: the mapping's `to`, with its dots
    /// escaped when the match was written with `\.`.
    public var replacement: [UInt8]
  }

  /// The mappings, longest `from` first.
  public let mappings: [HostMapping]
  private let from: [[UInt8]]
  private let to: [[UInt8]]
  /// The first label of each `from`: every match, plain, percent-encoded
  /// or regex-escaped, contains one of them literally (ignoring case).
  private let firstLabels: [[UInt8]]

  /// Creates a matcher; order of `mappings` does not matter.
  public init(_ mappings: [HostMapping]) {
    let sorted = mappings.sorted {
      $0.from.utf8.count != $1.from.utf8.count
        ? $0.from.utf8.count > $1.from.utf8.count : $0.from < $1.from
    }
    self.mappings = sorted
    self.from = sorted.map { Array($0.from.utf8) }
    self.to = sorted.map { Array($0.to.utf8) }
    self.firstLabels = Array(
      Set(sorted.map { Array($0.from.utf8.prefix { $0 != UInt8(ascii: ".") }) }))
  }

  /// A fast test that may say yes when ``matches(in:)`` finds nothing, but
  /// never no when it finds something: whether a first label of a `from`
  /// occurs in the value. Cost: O(value · labels), no allocation.
  public func mayMatch(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
    for label in firstLabels where value.count >= label.count {
      guard let first = label.first else { continue }
      var index = 0
      let last = value.count - label.count
      while index <= last {
        if Self.lowercase(value[index]) == first {
          var offset = 1
          while offset < label.count && Self.lowercase(value[index + offset]) == label[offset] {
            offset += 1
          }
          if offset == label.count { return true }
        }
        index += 1
      }
    }
    return false
  }

  /// ``mayMatch(_:)`` for a scalar of a document, read in place.
  public func mayMatch(_ document: Document, _ node: NodeID) -> Bool {
    document.kind(of: node) == .scalar && document.withValue(of: node) { mayMatch($0) }
  }

  /// Every host in `value` to rewrite, in order. Cost: O(value · mappings)
  /// in the worst case, one pass over the bytes for hosts without a dot run.
  public func matches(in value: some Collection<UInt8>) -> [Match] {
    let bytes = Array(value)
    var result: [Match] = []
    var index = 0
    while index < bytes.count {
      guard Self.startsHostRun(bytes, at: index) else {
        index += 1
        continue
      }
      var end = index
      var escaped = false
      while end < bytes.count {
        if Self.isHostByte(bytes[end]) {
          end += 1
        } else if Self.isEscapedDot(bytes, at: end) {
          escaped = true
          end += 2
        } else {
          break
        }
      }
      var start = index
      if start >= 1 && bytes[start - 1] == UInt8(ascii: "%") && end - start > 2
        && Self.isHex(bytes[start]) && Self.isHex(bytes[start + 1])
      {
        start += 2
      }
      let found = escaped ? escapedMatch(bytes, run: start..<end) : match(bytes, run: start..<end)
      if let found { result.append(found) }
      index = end
    }
    return result
  }

  /// Whether any mapping's `from` occurs in `value` at a label boundary and
  /// would be rewritten. Cost: as ``matches(in:)``.
  public func hasMatch(in value: some Collection<UInt8>) -> Bool { !matches(in: value).isEmpty }

  /// The match for the host-like run `run` of `bytes`, if any.
  private func match(_ bytes: [UInt8], run: Range<Int>) -> Match? {
    var hostEnd = run.upperBound
    if hostEnd - run.lowerBound > 1 && bytes[hostEnd - 1] == UInt8(ascii: ".") { hostEnd -= 1 }
    let host = run.lowerBound..<hostEnd
    guard let mapping = mappingIndex(bytes, host) else { return nil }
    var name = bytes[host].drop { $0 == UInt8(ascii: ".") }
    if name.isEmpty { name = bytes[host] }
    return Match(
      range: hostEnd - from[mapping].count..<hostEnd, host: host, mapping: mapping,
      hostName: String(decoding: name, as: UTF8.self), replacement: to[mapping])
  }

  /// The match for a run holding `\.` escapes: matched on the unescaped
  /// text, mapped back to the original bytes, replaced with escaped dots.
  private func escapedMatch(_ bytes: [UInt8], run: Range<Int>) -> Match? {
    var plain: [UInt8] = []
    var origin: [Int] = []
    var index = run.lowerBound
    while index < run.upperBound {
      if Self.isEscapedDot(bytes, at: index) { index += 1 }
      plain.append(bytes[index])
      origin.append(index)
      index += 1
    }
    guard let found = match(plain, run: 0..<plain.count) else { return nil }
    let start = origin[found.range.lowerBound]
    let end = origin[found.range.upperBound - 1] + 1
    var replacement: [UInt8] = []
    for byte in found.replacement {
      if byte == UInt8(ascii: ".") { replacement.append(UInt8(ascii: "\\")) }
      replacement.append(byte)
    }
    return Match(
      range: start..<end,
      host: origin[found.host.lowerBound]..<origin[found.host.upperBound - 1] + 1,
      mapping: found.mapping, hostName: found.hostName, replacement: replacement)
  }

  /// The mapping whose `from` the host ends with (longest first), unless the
  /// host is already under a `to` at least as long.
  private func mappingIndex(_ bytes: [UInt8], _ host: Range<Int>) -> Int? {
    for (offset, domain) in from.enumerated() where Self.endsWithLabels(bytes, host, domain) {
      for target in to where target.count >= domain.count {
        if Self.endsWithLabels(bytes, host, target) { return nil }
      }
      return offset
    }
    return nil
  }

  /// Whether a host-like run starts at `index`: a host byte or an escaped dot.
  static func startsHostRun(_ bytes: [UInt8], at index: Int) -> Bool {
    isHostByte(bytes[index]) || isEscapedDot(bytes, at: index)
  }

  /// Whether `bytes[index...]` is `\.`.
  static func isEscapedDot(_ bytes: [UInt8], at index: Int) -> Bool {
    bytes[index] == UInt8(ascii: "\\") && index + 1 < bytes.count
      && bytes[index + 1] == UInt8(ascii: ".")
  }

  /// Whether `bytes[host]` equals `domain` or ends with `.domain`, ignoring
  /// ASCII case.
  static func endsWithLabels(_ bytes: [UInt8], _ host: Range<Int>, _ domain: [UInt8]) -> Bool {
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

  @inline(__always)
  static func isHex(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
      || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
  }
}
