public import KRM
public import YAMLSplice

/// The provenance annotations of a changed resource and the edit that
/// writes them.
///
/// Values are sorted, de-duplicated, comma-separated lists merged with what
/// the resource already carries, so a second run writes the same bytes.
public enum Provenance {
  /// The original values a resource's rewritten fields held.
  public static let originalHostsKey = "krm-mirror.dev/original-hosts"
  /// The `from=to` mappings used on the resource.
  public static let hostMapKey = "krm-mirror.dev/host-map"

  /// Edits that set the provenance annotations on `item` after `rewrites`:
  /// existing values are replaced in their own style, missing keys are
  /// appended to `metadata.annotations` (created, with `metadata`, when
  /// absent). Empty when nothing would change.
  public static func edits(for item: ResourceItem, rewrites: [HostRewrite]) -> [Edit] {
    let document = item.document
    var wanted: [(String, String)] = []
    for (key, values) in [
      (originalHostsKey, rewrites.flatMap(\.originalHosts)),
      (hostMapKey, rewrites.flatMap(\.mappings).map(\.pair)),
    ] {
      let existing = item.annotation(key).map(splitList) ?? []
      wanted.append((key, Set(existing + values).sorted().joined(separator: ",")))
    }
    var edits: [Edit] = []
    var missing: [(String, YAMLFragment)] = []
    for (key, value) in wanted {
      if let annotations = item.annotations, let node = document.value(key, in: annotations) {
        if document.kind(of: node) != .scalar || document.string(of: node) != value {
          if document.kind(of: node) == .scalar {
            edits.append(document.edit(replacingValueOf: node, with: Array(value.utf8)))
          } else {
            let entry = document.entry(key, in: annotations)
            if let entry {
              edits.append(
                document.edit(
                  replacingValue: entry.value, ofKey: entry.key, in: annotations,
                  with: .scalar(value)))
            }
          }
        }
      } else {
        missing.append((key, .scalar(value)))
      }
    }
    guard !missing.isEmpty else { return edits }
    if let annotations = item.annotations {
      edits.append(document.edit(appending: missing, to: annotations))
    } else if let metadata = item.metadata {
      if let entry = document.entry("annotations", in: metadata), document.isNull(entry.value) {
        edits.append(
          document.edit(
            replacingValue: entry.value, ofKey: entry.key, in: metadata,
            with: .mapping(missing), layout: layout(of: metadata, in: item)))
      } else {
        edits.append(
          document.edit(
            appending: [("annotations", .mapping(missing))], to: metadata,
            layout: layout(of: metadata, in: item)))
      }
    } else if item.isMapping {
      edits.append(
        document.edit(
          appending: [("metadata", .mapping([("annotations", .mapping(missing))]))],
          to: item.node))
    }
    return edits
  }

  /// The indentation step used inside `metadata` (its keys' column minus the
  /// `metadata` key's), so a new nested mapping matches its neighbours.
  static func layout(of metadata: NodeID, in item: ResourceItem) -> BlockLayout {
    let document = item.document
    var layout = BlockLayout()
    if let metadataKey = document.entry("metadata", in: item.node)?.key,
      let firstKey = document.entries(of: metadata).first?.key
    {
      let step =
        document.column(of: document.span(of: firstKey).lowerBound)
        - document.column(of: document.span(of: metadataKey).lowerBound)
      if step > 0 { layout.step = step }
    }
    return layout
  }

  static func splitList(_ text: String) -> [String] {
    text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
  }
}

extension String {
  /// The string without leading and trailing spaces.
  func trimmingSpaces() -> String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
