/// One change to the source: the bytes in `range` become `replacement`.
/// An empty range is an insertion.
public struct Edit: Equatable, Sendable {
  /// Byte range of the source that is replaced.
  public var range: Range<Int>
  /// The new bytes.
  public var replacement: [UInt8]
  /// Where, inside `replacement`, content produced while the output is
  /// written goes (a ``SequenceSlot``'s items), or nil.
  public var hole: Int?

  /// Creates an edit replacing `range` with `replacement`.
  public init(range: Range<Int>, replacement: [UInt8]) {
    self.range = range
    self.replacement = replacement
  }
}

/// Two edits that would change the same bytes; a bug in the caller.
public struct EditConflict: Error, Equatable, Sendable {
  /// The first of the overlapping edits, in source order.
  public var first: Range<Int>
  /// The second.
  public var second: Range<Int>
}

/// Writes output: the source bytes with edits spliced in. The only code that
/// produces output bytes.
public enum Splicer {
  /// Appends `source[range]` with `edits` applied to `output`.
  ///
  /// Edits must lie within `range` and must not overlap. Insertions at one
  /// offset: text that continues the current line (a value after `key:` at
  /// the end of the input) before text that starts a new line; then in order
  /// of decreasing indentation of their first line (new entries of a nested
  /// block mapping belong before new entries of its parent, which ends at
  /// the same place); otherwise in the order given.
  /// Cost: O(range + edits·log edits), one copy of every untouched byte.
  public static func splice(
    _ source: [UInt8], range: Range<Int>, edits: [Edit], into output: inout [UInt8]
  ) throws(EditConflict) {
    let ordered = try order(edits, within: range)
    emit(source, range: range, ordered: ordered, to: { output.append(contentsOf: $0) })
  }

  /// `edits` in the order they apply, checked to lie within `range` without
  /// overlapping (insertion order as ``splice(_:range:edits:into:)`` says).
  /// Cost: O(edits) when they are already in order (as a run that works
  /// through its input in order makes them), else O(edits·log edits).
  public static func order(_ edits: [Edit], within range: Range<Int>) throws(EditConflict)
    -> [Edit]
  {
    var inOrder = true
    var index = 1
    while index < edits.count {
      if !precedes(edits[index - 1], index - 1, edits[index], index) {
        inOrder = false
        break
      }
      index += 1
    }
    let ordered =
      inOrder
      ? edits
      : edits.enumerated().sorted { precedes($0.element, $0.offset, $1.element, $1.offset) }
        .map(\.element)
    var position = range.lowerBound
    for edit in ordered {
      guard edit.range.lowerBound >= position, edit.range.upperBound <= range.upperBound else {
        throw EditConflict(first: position..<position, second: edit.range)
      }
      position = edit.range.upperBound
    }
    return ordered
  }

  /// Whether `lhs` (given at position `lhsIndex`) applies before `rhs`.
  private static func precedes(_ lhs: Edit, _ lhsIndex: Int, _ rhs: Edit, _ rhsIndex: Int)
    -> Bool
  {
    if lhs.range.lowerBound != rhs.range.lowerBound {
      return lhs.range.lowerBound < rhs.range.lowerBound
    }
    let lhsInsert = lhs.range.isEmpty
    let rhsInsert = rhs.range.isEmpty
    if lhsInsert != rhsInsert { return lhsInsert }
    if lhsInsert {
      let lhsNewLine = startsWithLineBreak(lhs.replacement)
      let rhsNewLine = startsWithLineBreak(rhs.replacement)
      if lhsNewLine != rhsNewLine { return !lhsNewLine }
      let lhsIndent = indentation(of: lhs.replacement)
      let rhsIndent = indentation(of: rhs.replacement)
      if lhsIndent != rhsIndent { return lhsIndent > rhsIndent }
    }
    return lhsIndex < rhsIndex
  }

  /// Passes `source[range]` with `ordered` edits (from ``order(_:within:)``)
  /// applied to `write`, piece by piece: untouched runs and replacements.
  /// At an edit's ``Edit/hole``, `fill` is called to write what goes there
  /// (through the same output `write` writes to).
  /// Cost: O(range + edits); no copy beyond what `write` makes.
  public static func emit(
    _ source: [UInt8], range: Range<Int>, ordered: [Edit],
    to write: (UnsafeBufferPointer<UInt8>) -> Void, fill: () -> Void = {}
  ) {
    emit(source, range: range, orderedParts: [ordered], to: write, fill: fill)
  }

  /// ``emit(_:range:ordered:to:fill:)`` for edits in ordered parts (from
  /// ``order(parts:within:)``).
  public static func emit(
    _ source: [UInt8], range: Range<Int>, orderedParts: [[Edit]],
    to write: (UnsafeBufferPointer<UInt8>) -> Void, fill: () -> Void = {}
  ) {
    source.withUnsafeBufferPointer { source in
      var position = range.lowerBound
      for part in orderedParts {
        for edit in part {
          if position < edit.range.lowerBound {
            write(UnsafeBufferPointer(rebasing: source[position..<edit.range.lowerBound]))
          }
          edit.replacement.withUnsafeBufferPointer { replacement in
            if let hole = edit.hole {
              if hole > 0 { write(UnsafeBufferPointer(rebasing: replacement[..<hole])) }
              fill()
              if hole < replacement.count {
                write(UnsafeBufferPointer(rebasing: replacement[hole...]))
              }
            } else if !replacement.isEmpty {
              write(replacement)
            }
          }
          position = edit.range.upperBound
        }
      }
      if position < range.upperBound {
        write(UnsafeBufferPointer(rebasing: source[position..<range.upperBound]))
      }
    }
  }

  /// ``order(_:within:)`` for edits given in parts (a list's parts, worked
  /// on apart): when every part is in order and each part's edits all come
  /// before the next part's, the parts are returned as they are — no copy
  /// of a large list's edits — else as one ordered part. Cost: O(edits) in
  /// the first case.
  public static func order(parts: [[Edit]], within range: Range<Int>) throws(EditConflict)
    -> [[Edit]]
  {
    var inOrder = true
    var previous: Edit?
    check: for part in parts {
      for (index, edit) in part.enumerated() {
        if let before = previous, !precedes(before, 0, edit, 1) {
          inOrder = false
          break check
        }
        if index > 0 && !precedes(part[index - 1], index - 1, edit, index) {
          inOrder = false
          break check
        }
        previous = edit
      }
    }
    guard inOrder else { return [try order(parts.flatMap { $0 }, within: range)] }
    var position = range.lowerBound
    for part in parts {
      for edit in part {
        guard edit.range.lowerBound >= position, edit.range.upperBound <= range.upperBound else {
          throw EditConflict(first: position..<position, second: edit.range)
        }
        position = edit.range.upperBound
      }
    }
    return parts
  }

  /// Puts `edits[start...]` in the order they apply (as
  /// ``order(_:within:)`` would), so that edits appended part by part (a
  /// resource's, then the next one's) stay in order overall and the final
  /// ``order(_:within:)`` need not sort. Cost: O(k) when the k edits are in
  /// order, else O(k·log k).
  public static func sortTail(_ edits: inout [Edit], from start: Int) {
    var index = start + 1
    while index < edits.count {
      if !precedes(edits[index - 1], index - 1, edits[index], index) {
        let sorted = edits[start...].enumerated().sorted {
          precedes($0.element, $0.offset, $1.element, $1.offset)
        }.map(\.element)
        edits.replaceSubrange(start..., with: sorted)
        return
      }
      index += 1
    }
  }

  /// Whether `text` begins with a line break.
  static func startsWithLineBreak(_ text: [UInt8]) -> Bool {
    text.first == 0x0A || text.first == 0x0D
  }

  /// Spaces at the start of the first line of `text` (leading breaks skipped).
  static func indentation(of text: [UInt8]) -> Int {
    text.drop { $0 == 0x0A || $0 == 0x0D }.prefix { $0 == 0x20 }.count
  }

  /// The whole source with `edits` applied. Cost: as ``splice(_:range:edits:into:)``.
  public static func apply(_ edits: [Edit], to source: [UInt8]) throws(EditConflict) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(source.count + edits.reduce(0) { $0 + $1.replacement.count })
    try splice(source, range: 0..<source.count, edits: edits, into: &output)
    return output
  }
}
