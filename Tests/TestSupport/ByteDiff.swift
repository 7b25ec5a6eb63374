/// A readable account of how two byte strings differ, for failure messages.
/// Comparisons themselves are always on bytes.
public enum ByteDiff {
  /// The first differing line of `expected` and `actual`, shown with escapes
  /// so that CR, tabs and trailing spaces are visible; nil when equal.
  public static func describe(expected: [UInt8], actual: [UInt8]) -> String? {
    guard expected != actual else { return nil }
    let expectedLines = expected.split(separator: 0x0A, omittingEmptySubsequences: false)
    let actualLines = actual.split(separator: 0x0A, omittingEmptySubsequences: false)
    for index in 0..<max(expectedLines.count, actualLines.count) {
      let lhs = index < expectedLines.count ? Array(expectedLines[index]) : nil
      let rhs = index < actualLines.count ? Array(actualLines[index]) : nil
      if lhs != rhs {
        return "line \(index + 1):\n  - \(show(lhs))\n  + \(show(rhs))"
      }
    }
    return "same lines, different bytes (\(expected.count) vs \(actual.count))"
  }

  static func show(_ line: [UInt8]?) -> String {
    guard let line else { return "<no line>" }
    return String(decoding: line, as: UTF8.self).debugDescription
  }
}
