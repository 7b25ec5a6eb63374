import Testing

@testable import Mirror

/// The `--diff` text: applying its hunks to the old text gives the new one,
/// on random texts, and equal texts give no diff.
struct UnifiedDiffTests {
  /// Applies a unified diff (headers skipped) to `old`.
  static func apply(_ diff: [UInt8], to old: [UInt8]) -> [UInt8]? {
    let oldLines = UnifiedDiff.lines(old)
    var result: [UInt8] = []
    var next = 0
    let diffLines = String(decoding: diff, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    var index = 0
    while index < diffLines.count {
      let line = diffLines[index]
      index += 1
      guard line.hasPrefix("@@ -") else { continue }
      let numbers = line.dropFirst(4).prefix { $0 != " " }.split(separator: ",")
      guard let first = Int(numbers[0]) else { return nil }
      let count = numbers.count > 1 ? Int(numbers[1]) ?? 0 : 1
      let start = count == 0 ? first : first - 1
      while next < start {
        result += oldLines[next]
        next += 1
      }
      while index < diffLines.count, let mark = diffLines[index].first, mark != "@",
        mark != "-" || !diffLines[index].hasPrefix("--- ")
      {
        let body = Array(diffLines[index].dropFirst().utf8)
        let noNewline = index + 1 < diffLines.count && diffLines[index + 1].hasPrefix("\\")
        let text = noNewline ? body : body + [0x0A]
        switch mark {
        case " ":
          guard next < oldLines.count, Array(oldLines[next]) == text else { return nil }
          result += text
          next += 1
        case "-":
          guard next < oldLines.count, Array(oldLines[next]) == text else { return nil }
          next += 1
        case "+":
          result += text
        default:
          break
        }
        index += noNewline ? 2 : 1
      }
    }
    while next < oldLines.count {
      result += oldLines[next]
      next += 1
    }
    return result
  }

  @Test("hunks applied to the old text give the new text (random texts)")
  func roundTrip() {
    var generator = SystemRandomNumberGenerator()
    let words = ["a: 1\n", "b: 2\n", "- x\n", "c: 3\n", "d\n", "  e: f\n"]
    for _ in 0..<400 {
      let old = (0..<Int.random(in: 0...30, using: &generator)).map { _ in
        words.randomElement(using: &generator) ?? ""
      }
      var new = old
      for _ in 0..<Int.random(in: 0...6, using: &generator) {
        let position = Int.random(in: 0...new.count, using: &generator)
        if Bool.random(using: &generator) || new.isEmpty {
          new.insert(words.randomElement(using: &generator) ?? "", at: position)
        } else {
          new.remove(at: min(position, new.count - 1))
        }
      }
      var oldText = Array(old.joined().utf8)
      var newText = Array(new.joined().utf8)
      if Bool.random(using: &generator), !oldText.isEmpty { oldText.removeLast() }
      if Bool.random(using: &generator), !newText.isEmpty { newText.removeLast() }
      let diff = UnifiedDiff.render(old: oldText, new: newText, sections: [])
      #expect(diff.isEmpty == (oldText == newText))
      #expect(
        Self.apply(diff, to: oldText) == newText,
        "\(String(decoding: oldText, as: UTF8.self))\n=>\n\(String(decoding: newText, as: UTF8.self))\n\(String(decoding: diff, as: UTF8.self))"
      )
    }
  }

  @Test("hunks are grouped under the resource their first change is in")
  func sections() {
    let old = Array("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n".utf8)
    let new = Array("a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\nm\n".utf8)
    let diff = String(
      decoding: UnifiedDiff.render(
        old: old, new: new,
        sections: [
          .init(firstLine: 0, name: "Ingress/web"), .init(firstLine: 9, name: "Service/web"),
        ]),
      as: UTF8.self)
    #expect(
      diff == """
        --- a/Ingress/web
        +++ b/Ingress/web
        @@ -1,5 +1,5 @@
         a
        -b
        +B
         c
         d
         e
        --- a/Service/web
        +++ b/Service/web
        @@ -9,5 +9,5 @@
         i
         j
         k
        -l
        +L
         m

        """)
  }
}
