/// A line diff of two texts in unified format, hunks grouped under the
/// resource they change (`--diff`).
///
/// Lines are compared whole (a line keeps its break); the shortest edit
/// script is found with Myers' algorithm, O((N + M) · D) time for D
/// changed lines, so a mirror run that changes a few lines of a large
/// stream costs little. Three lines of context, as `diff -u`.
public enum UnifiedDiff {
  /// One resource's lines: where it starts (0-based line of the text) and
  /// the header names it gets.
  public struct Section: Equatable, Sendable {
    /// First line of the resource.
    public var firstLine: Int
    /// `kind/namespace/name`, or what identifies the section.
    public var name: String

    /// Creates a section.
    public init(firstLine: Int, name: String) {
      self.firstLine = firstLine
      self.name = name
    }
  }

  /// The text split into lines, each with its line break.
  static func lines(_ text: [UInt8]) -> [ArraySlice<UInt8>] {
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    for index in text.indices where text[index] == 0x0A {
      lines.append(text[start...index])
      start = index + 1
    }
    if start < text.count { lines.append(text[start...]) }
    return lines
  }

  /// The diff of `old` and `new` as text: for each changed section a
  /// `--- a/NAME` / `+++ b/NAME` header, then its hunks; empty when the
  /// texts are equal. `sections` (of `old`, by first line, ascending)
  /// name the resources; a hunk belongs to the last section starting at
  /// or before its first changed line.
  public static func render(old: [UInt8], new: [UInt8], sections: [Section]) -> [UInt8] {
    let a = lines(old)
    let b = lines(new)
    let changes = script(a, b)
    guard !changes.isEmpty else { return [] }
    var out: [UInt8] = []
    var currentSection = -1
    for hunk in hunks(changes, oldCount: a.count, newCount: b.count) {
      let firstChange = hunk.changes.first.map { $0.old } ?? hunk.oldStart
      var section = -1
      for (index, candidate) in sections.enumerated() where candidate.firstLine <= firstChange {
        section = index
      }
      if section != currentSection || out.isEmpty {
        currentSection = section
        let name = section >= 0 ? sections[section].name : "input"
        out += Array("--- a/\(name)\n+++ b/\(name)\n".utf8)
      }
      out += Array(
        "@@ -\(range(hunk.oldStart, hunk.oldCount)) +\(range(hunk.newStart, hunk.newCount)) @@\n"
          .utf8)
      var oldLine = hunk.oldStart
      var newLine = hunk.newStart
      for change in hunk.changes {
        while oldLine < change.old {
          append(" ", a[oldLine], to: &out)
          oldLine += 1
          newLine += 1
        }
        if change.deleted {
          append("-", a[change.old], to: &out)
          oldLine += 1
        } else {
          append("+", b[change.new], to: &out)
          newLine += 1
        }
      }
      while oldLine < hunk.oldStart + hunk.oldCount {
        append(" ", a[oldLine], to: &out)
        oldLine += 1
      }
    }
    return out
  }

  private static func range(_ start: Int, _ count: Int) -> String {
    count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
  }

  private static func append(_ mark: String, _ line: ArraySlice<UInt8>, to out: inout [UInt8]) {
    out += Array(mark.utf8)
    out += line
    if line.last != 0x0A { out += Array("\n\\ No newline at end of file\n".utf8) }
  }

  /// One line deleted from the old text or inserted from the new one; `old`
  /// is where in the old text it happens (for an insertion: before that
  /// old line), `new` the new line's index.
  struct Change: Equatable {
    var deleted: Bool
    var old: Int
    var new: Int
  }

  /// Changes with three lines of context around them, runs that overlap
  /// joined.
  struct Hunk {
    var oldStart: Int
    var oldCount: Int
    var newStart: Int
    var newCount: Int
    var changes: [Change]
  }

  static func hunks(_ changes: [Change], oldCount: Int, newCount: Int) -> [Hunk] {
    let context = 3
    var groups: [[Change]] = []
    for change in changes {
      if let last = groups.last?.last, change.old - last.old <= 2 * context + (last.deleted ? 1 : 0)
      {
        groups[groups.count - 1].append(change)
      } else {
        groups.append([change])
      }
    }
    return groups.map { group in
      let first = group[0]
      let last = group[group.count - 1]
      // Before the first change both texts agree, so the new line of old
      // line `first.old` is `first.new`.
      let oldStart = max(0, first.old - context)
      let newStart = max(0, first.new - (first.old - oldStart))
      let lastOld = last.deleted ? last.old + 1 : last.old
      let oldEnd = min(oldCount, lastOld + context)
      let deletions = group.filter(\.deleted).count
      let insertions = group.count - deletions
      let oldSpan = oldEnd - oldStart
      return Hunk(
        oldStart: oldStart, oldCount: oldSpan, newStart: newStart,
        newCount: oldSpan - deletions + insertions, changes: group)
    }
  }

  /// The shortest edit script from `a` to `b` (Myers), deletions before
  /// insertions at the same place.
  static func script(_ a: [ArraySlice<UInt8>], _ b: [ArraySlice<UInt8>]) -> [Change] {
    let n = a.count
    let m = b.count
    let maximum = n + m
    guard maximum > 0 else { return [] }
    let offset = maximum + 1
    var frontier = [Int](repeating: 0, count: 2 * maximum + 3)
    var trace: [[Int]] = []
    var found = false
    for d in 0...maximum {
      trace.append(frontier)
      var k = -d
      while k <= d {
        var x: Int
        if k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1]) {
          x = frontier[offset + k + 1]
        } else {
          x = frontier[offset + k - 1] + 1
        }
        var y = x - k
        while x < n && y < m && a[x] == b[y] {
          x += 1
          y += 1
        }
        frontier[offset + k] = x
        if x >= n && y >= m {
          found = true
          break
        }
        k += 2
      }
      if found { break }
    }
    // Walk back through the frontiers.
    var changes: [Change] = []
    var x = n
    var y = m
    for d in stride(from: trace.count - 1, to: 0, by: -1) {
      let previous = trace[d]
      let k = x - y
      let previousK: Int
      if k == -d || (k != d && previous[offset + k - 1] < previous[offset + k + 1]) {
        previousK = k + 1
      } else {
        previousK = k - 1
      }
      let previousX = previous[offset + previousK]
      let previousY = previousX - previousK
      while x > previousX && y > previousY {
        x -= 1
        y -= 1
      }
      if x == previousX {
        changes.append(Change(deleted: false, old: x, new: previousY))
      } else {
        changes.append(Change(deleted: true, old: previousX, new: previousY))
      }
      x = previousX
      y = previousY
    }
    return changes.reversed()
  }
}
