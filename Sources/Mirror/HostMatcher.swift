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
/// percent-encoded `/` or `:`) is matched without those two hex digits.
public struct HostMatcher: Sendable {
  /// One replacement: the matched `from` suffix of a host and its mapping.
  public struct Match: Equatable, Sendable {
    /// Byte range of the `from` suffix in the scanned value.
    public var range: Range<Int>
    /// Byte range of the whole host (without a trailing dot).
    public var host: Range<Int>
    /// Index of the mapping in ``mappings``.
    public var mapping: Int
  }

  /// The mappings, longest `from` first.
  public let mappings: [HostMapping]
  private let from: [[UInt8]]
  private let to: [[UInt8]]

  /// Creates a matcher; order of `mappings` does not matter.
  public init(_ mappings: [HostMapping]) {
    let sorted = mappings.sorted {
      $0.from.utf8.count != $1.from.utf8.count
        ? $0.from.utf8.count > $1.from.utf8.count : $0.from < $1.from
    }
    self.mappings = sorted
    self.from = sorted.map { Array($0.from.utf8) }
    self.to = sorted.map { Array($0.to.utf8) }
  }

  /// Every host in `value` to rewrite, in order. Cost: O(value · mappings)
  /// in the worst case, one pass over the bytes for hosts without a dot run.
  public func matches(in value: some Collection<UInt8>) -> [Match] {
    let bytes = Array(value)
    var result: [Match] = []
    var index = 0
    while index < bytes.count {
      guard Self.isHostByte(bytes[index]) else {
        index += 1
        continue
      }
      var end = index
      while end < bytes.count && Self.isHostByte(bytes[end]) { end += 1 }
      var start = index
      if start >= 1 && bytes[start - 1] == UInt8(ascii: "%") && end - start > 2
        && Self.isHex(bytes[start]) && Self.isHex(bytes[start + 1])
      {
        start += 2
      }
      if let match = match(bytes, host: start..<end) { result.append(match) }
      index = end
    }
    return result
  }

  /// The match for the host-like run `run` of `bytes`, if any.
  private func match(_ bytes: [UInt8], host run: Range<Int>) -> Match? {
    var hostEnd = run.upperBound
    if hostEnd - run.lowerBound > 1 && bytes[hostEnd - 1] == UInt8(ascii: ".") { hostEnd -= 1 }
    let host = run.lowerBound..<hostEnd
    for (offset, domain) in from.enumerated() where Self.endsWithLabels(bytes, host, domain) {
      for target in to where target.count >= domain.count {
        if Self.endsWithLabels(bytes, host, target) { return nil }
      }
      return Match(range: hostEnd - domain.count..<hostEnd, host: host, mapping: offset)
    }
    return nil
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
