/// Two mappings of one configuration that cannot be used together: the
/// positions of both in the configuration's list and what is wrong.
public struct MappingConflict: Equatable, Sendable {
  /// Index of the mapping given first.
  public var earlier: Int
  /// Index of the mapping given second (where the error is reported).
  public var later: Int
  /// Why the pair is refused, naming both mappings.
  public var message: String
}

/// The rules for several mappings used together.
///
/// All mappings apply at once, in one pass: each host is matched against
/// the input, never against what another mapping wrote; the longest `from`
/// wins; a host already under a `to` at least as long as the matched `from`
/// is left alone. A set is accepted only when that pass is idempotent (a
/// second run changes nothing) and every mapping can still apply. For two
/// mappings A (`fA=tA`) and B (`fB=tB`):
///
/// | relation                               | decision                   |
/// |----------------------------------------|----------------------------|
/// | fA = fB and tA = tB                    | accepted, used once        |
/// | fA = fB, tA ≠ tB                       | refused: two targets       |
/// | tA = fB and tB = fA                    | refused: a swap            |
/// | tA = fB                                | refused: a chain, B is dead|
/// | fB under tA (A ≠ B)                    | refused: rewritten again   |
/// | tA under fB, or tA under fA            | accepted                   |
/// | fA under tA (one mapping)              | accepted, repeats dropped  |
/// | fB under fA, tA = tB, tA under tB      | accepted                   |
///
/// Cycles longer than two contain a chain. Cost: O(mappings²).
extension HostMapping {
  /// Whether `domain` equals `parent` or ends with `.parent` (both
  /// lowercase, without a trailing dot).
  public static func isAtOrUnder(_ domain: String, _ parent: String) -> Bool {
    domain == parent || domain.hasSuffix("." + parent)
  }

  /// The mappings of `mappings` with exact repeats dropped (the first is
  /// kept), and every pair that cannot be used together, as the table
  /// above says. Indices in the conflicts are positions in `mappings`.
  public static func checked(_ mappings: [HostMapping]) -> (
    mappings: [HostMapping], conflicts: [MappingConflict]
  ) {
    var kept: [HostMapping] = []
    var conflicts: [MappingConflict] = []
    for (later, mapping) in mappings.enumerated() {
      if kept.contains(mapping) { continue }
      for (earlier, other) in mappings[..<later].enumerated() where other != mapping {
        if let message = conflict(other, mapping) {
          conflicts.append(MappingConflict(earlier: earlier, later: later, message: message))
          break
        }
      }
      kept.append(mapping)
    }
    return (kept, conflicts)
  }

  /// Why `first` and `second` (given in that order) cannot be used
  /// together, or nil when they can.
  static func conflict(_ first: HostMapping, _ second: HostMapping) -> String? {
    let a = first.pair
    let b = second.pair
    if first.from == second.from {
      return "\(a) and \(b) give two targets for \(first.from); keep one"
    }
    if first.to == second.from && second.to == first.from {
      return
        "\(a) and \(b) swap the two domains: each one's output is the other's source, so neither could ever apply; map each to a domain of its own"
    }
    for (writer, source) in [(first, second), (second, first)] {
      if writer.to == source.from {
        return
          "\(writer.pair) writes hosts under \(source.from), the source of \(source.pair), which would then never apply; map straight to the final domain (\(writer.from)=\(source.to))"
      }
      if isAtOrUnder(source.from, writer.to) {
        return
          "\(writer.pair) writes hosts under \(writer.to), and \(source.pair) would rewrite those under \(source.from) again on the next run; give \(writer.from) a target that \(source.from) is not under"
      }
    }
    return nil
  }
}
