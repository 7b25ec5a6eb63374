import KRM
import YAMLSplice

/// The tagging step: provenance annotations on changed resources, extra
/// annotations and labels by scope.
extension MirrorFunction {
  /// The original values' hosts a resource's rewritten fields held.
  public static let originalHostsKey = "krm-mirror.dev/original-hosts"
  /// The `from=to` mappings used on the resource.
  public static let hostMapKey = "krm-mirror.dev/host-map"

  func tag(_ run: inout ItemRun, apiVersion: String, kind: String) {
    var rewrites = run.rewrites
    if !config.steps.contains(.replaceHosts) {
      // TagMirror on its own: hosts under a `to` were mirrored earlier; the
      // reversed mapping names their originals.
      rewrites = mirroredHosts(in: run, apiVersion: apiVersion, kind: kind)
    }
    let changed = !rewrites.isEmpty || run.changed
    if config.provenance && !rewrites.isEmpty {
      for (key, values) in [
        (Self.originalHostsKey, rewrites.flatMap(\.originalHosts)),
        (Self.hostMapKey, rewrites.flatMap(\.mappings).map(\.pair)),
      ] {
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
  /// as rewrites from their reverse-mapped originals.
  func mirroredHosts(in run: ItemRun, apiVersion: String, kind: String) -> [HostRewrite] {
    var found: [HostRewrite] = []
    let fields =
      HostFieldTable.hostFields(apiVersion: apiVersion, kind: kind).map(\.path)
      + config.fields.filter {
        ($0.apiVersion == nil || $0.apiVersion == apiVersion) && ($0.kind == nil || $0.kind == kind)
      }.map(\.path)
    for path in fields {
      for (node, written) in path.resolve(in: run.document, from: run.item.node)
      where run.document.kind(of: node) == .scalar {
        let value = run.currentValue(node)
        let matches = reverseMatcher.matches(in: value)
        guard !matches.isEmpty else { continue }
        let originals = matches.map { match in
          let mapping = reverseMatcher.mappings[match.mapping]
          let prefix = value[match.host.lowerBound..<match.range.lowerBound]
          return String(decoding: prefix, as: UTF8.self) + mapping.to
        }
        let used = matches.compactMap { match in
          try? HostMapping(
            from: reverseMatcher.mappings[match.mapping].to,
            to: reverseMatcher.mappings[match.mapping].from)
        }
        found.append(
          HostRewrite(
            path: written.description, currentValue: String(decoding: value, as: UTF8.self),
            proposedValue: String(decoding: value, as: UTF8.self),
            originalHosts: originals.map { $0.drop { $0 == "." } }.map(String.init),
            mappings: used))
      }
    }
    return found
  }

  static func splitList(_ text: String) -> [String] {
    text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
  }
}
