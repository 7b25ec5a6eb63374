import KRM

/// The counts behind a run's summary result, accumulated resource by
/// resource so that nothing else about finished resources is kept.
struct RunTally {
  var processed = 0
  var changed = 0
  var rewritten = 0
  var leftovers = 0
  /// Which mappings (by the matcher's index, the first 64) found a host:
  /// one they rewrote or a leftover.
  var matchedMappings: UInt64 = 0

  /// Counts one resource's outcome.
  mutating func add(_ outcome: MirrorFunction.ItemOutcome) {
    matchedMappings |= outcome.matchedMappings
    rewritten += outcome.rewrites
    if outcome.processed { processed += 1 }
    if outcome.changed { changed += 1 }
    leftovers += outcome.leftovers
  }

  /// Counts the outcomes another tally counted.
  mutating func add(_ other: RunTally) {
    matchedMappings |= other.matchedMappings
    processed += other.processed
    changed += other.changed
    rewritten += other.rewritten
    leftovers += other.leftovers
  }

  /// The results that close a run: one `warning` per mapping that found no
  /// host (almost always a typo), then the summary. A warning even under
  /// `leaks: error`: one package of a render may well hold no host of a
  /// domain another package has, and failing that render would be wrong. Functions that do not rewrite (CheckHosts,
  /// TagMirror, SyncTLS on their own) have no such warnings.
  func closingResults(_ function: MirrorFunction) -> [KRMResult] {
    let config = function.config
    var results: [KRMResult] = []
    if config.steps.contains(.replaceHosts) {
      for (index, mapping) in function.matcher.mappings.enumerated()
      where index < 64 && matchedMappings & (1 << UInt64(index)) == 0 {
        results.append(
          KRMResult(
            message:
              "mapping \(mapping.pair) matched nothing: no host under \(mapping.from) in the selected resources (a typo?)",
            severity: .warning))
      }
    }
    return results + [summary(config)]
  }

  /// The summary result: what was rewritten and changed, and leftovers
  /// when the leak check ran.
  func summary(_ config: MirrorConfig) -> KRMResult {
    let mappings = config.hosts.map(\.pair).joined(separator: ", ")
    var parts: [String] = []
    if config.steps.contains(.replaceHosts) {
      parts.append(
        rewritten == 0
          ? "no host matched"
          : "rewrote \(rewritten) host field\(rewritten == 1 ? "" : "s")")
    }
    parts.append("changed \(changed) of \(processed) resource\(processed == 1 ? "" : "s")")
    if config.steps.contains(.checkLeaks) && config.leaks != .ignore {
      parts.append("\(leftovers) leftover\(leftovers == 1 ? "" : "s")")
    }
    return KRMResult(message: parts.joined(separator: "; ") + " (\(mappings))", severity: .info)
  }
}
