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
    var hosts: [String]
    var pairs: [String]
    if config.steps.contains(.replaceHosts) {
      hosts = run.originalHostRanges.map {
        String(decoding: run.originalHosts[$0], as: UTF8.self)
      }
      pairs = run.usedMappings.map { matcher.mappings[$0].pair }
    } else {
      // TagMirror on its own: hosts under a `to` were mirrored earlier; the
      // reversed mapping names their originals.
      (hosts, pairs) = mirroredHosts(in: run, plan: plan)
    }
    let changed = !hosts.isEmpty || run.changed
    if config.provenance && !hosts.isEmpty {
      for (key, values) in [(Self.originalHostsKey, hosts), (Self.hostMapKey, pairs)] {
        let existing = run.item.annotation(key).map(Self.splitList) ?? []
        run.annotations.set(key, Set(existing + values).sorted().joined(separator: ","))
      }
    }
    if changed || config.tagScope == .all {
      for (key, value) in config.tagAnnotations { run.annotations.set(key, value) }
      for (key, value) in config.tagLabels { run.labels.set(key, value) }
    }
  }

  /// Hosts in the built-in and user fields that sit under a `to` domain,
  /// named by their reverse-mapped originals, and the mappings that name
  /// them.
  func mirroredHosts(in run: ItemRun, plan: KindPlan) -> (hosts: [String], pairs: [String]) {
    var hosts: [String] = []
    var pairs: [String] = []
    var found: [HostMatcher.Match] = []
    do {
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
    }
    return (hosts, pairs)
  }

  static func splitList(_ text: String) -> [String] {
    text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
  }
}
