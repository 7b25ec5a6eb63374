import KRM
import YAMLSplice

/// The tagging step: provenance annotations on changed resources, extra
/// annotations and labels by scope.
extension MirrorFunction {
  /// The original values' hosts a resource's rewritten fields held.
  public static let originalHostsKey = "krm-mirror.dev/original-hosts"
  /// The `from=to` mappings used on the resource.
  public static let hostMapKey = "krm-mirror.dev/host-map"

  func tag(_ run: inout ItemRun, plan: KindPlan) {
    let changed: Bool
    if config.steps.contains(.replaceHosts) {
      changed = run.rewriteCount > 0 || run.changed
      if config.provenance && run.rewriteCount > 0 {
        let hosts = run.originalHostRanges.map { run.originalHosts[$0] }
        let pairs = run.usedMappings.map { matcher.mappings[$0].pair }
        setProvenance(&run, hosts: hosts, pairs: pairs)
      }
    } else {
      // TagMirror on its own: hosts under a `to` were mirrored earlier; the
      // reversed mapping names their originals.
      let (hosts, pairs) = mirroredHosts(in: run, plan: plan)
      changed = !hosts.isEmpty || run.changed
      if config.provenance && !hosts.isEmpty {
        setProvenance(&run, hosts: hosts.map { Array($0.utf8)[...] }, pairs: pairs)
      }
    }
    if changed || config.tagScope == .all {
      for (key, value) in config.tagAnnotations { run.annotations.set(key, value) }
      for (key, value) in config.tagLabels { run.labels.set(key, value) }
    }
  }

  /// Sets the provenance annotations: the hosts and `from=to` pairs, with
  /// what the annotations already hold, sorted and unique.
  private func setProvenance(_ run: inout ItemRun, hosts: [ArraySlice<UInt8>], pairs: [String]) {
    for (key, values) in [
      (Self.originalHostsKey, hosts), (Self.hostMapKey, pairs.map { Array($0.utf8)[...] }),
    ] {
      if let existing = run.item.annotation(key) {
        let old = Self.splitList(existing).map { Array($0.utf8)[...] }
        run.annotations.set(key, Self.sortedUniqueList(old + values))
      } else {
        run.annotations.set(key, Self.sortedUniqueList(values))
      }
    }
  }

  /// `values` sorted bytewise and joined by commas, each listed once
  /// ignoring ASCII case (hosts are matched so): of spellings that differ
  /// only in case, the first in `values` is kept (callers put what an
  /// annotation already holds first, then the hosts in document order).
  /// A rerun that adds nothing writes the same bytes.
  /// Cost: O(n log n) comparisons, one lowercase copy per value.
  static func sortedUniqueList(_ values: [ArraySlice<UInt8>]) -> String {
    var seen: Set<[UInt8]> = []
    let kept = values.filter { seen.insert($0.map(HostMatcher.lowercase)).inserted }
    var text: [UInt8] = []
    for value in kept.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
      if !text.isEmpty { text.append(UInt8(ascii: ",")) }
      text += value
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// Hosts in the built-in and user fields that sit under a `to` domain,
  /// named by their reverse-mapped originals, and the mappings that name
  /// them.
  func mirroredHosts(in run: ItemRun, plan: KindPlan) -> (hosts: [String], pairs: [String]) {
    var hosts: [String] = []
    var pairs: [String] = []
    var found: [HostMatcher.Match] = []
    plan.taggedPaths.forEachNode(in: run.document, from: run.item.node) { node, _ in
      guard run.document.kind(of: node) == .scalar else { return }
      run.withCurrentValue(node) { value in
        found.removeAll(keepingCapacity: true)
        reverseMatcher.matches(in: value, into: &found)
        for match in found {
          let mapping = reverseMatcher.mappings[match.mapping]
          let prefix = UnsafeBufferPointer(
            rebasing: value[match.host.lowerBound..<match.range.lowerBound])
          let original = String(decoding: prefix, as: UTF8.self) + mapping.to
          hosts.append(String(original.drop { $0 == "." }))
          if let used = try? HostMapping(from: mapping.to, to: mapping.from) {
            pairs.append(used.pair)
          }
        }
      }
    }
    return (hosts, pairs)
  }

  /// The items of a comma-separated annotation value, each without the
  /// blanks and line breaks around it (a block scalar ends its value with a
  /// line break; a list written over several lines has them after commas).
  static func splitList(_ text: String) -> [String] {
    text.split(separator: ",").map { item in
      String(item.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }.filter { !$0.isEmpty }
  }
}
