import KRM
import YAMLSplice

/// The state of one resource going through the pipeline: the edits so far,
/// the values scalars will have after them, and what to report.
///
/// Every step reads values through ``currentValue(_:)``, so a later step
/// (TLS coverage, the leak check) sees what an earlier one wrote, and a
/// scalar is only ever edited once.
struct ItemRun {
  let item: ResourceItem
  let config: MirrorConfig
  var document: Document { item.document }

  /// Edits of scalars, keyed by node.
  private(set) var scalarEdits: [NodeID: [Edit]] = [:]
  /// New values of edited scalars.
  private(set) var newValues: [NodeID: [UInt8]] = [:]
  /// Other edits (insertions, removals).
  var structuralEdits: [Edit] = []
  /// Host rewrites, for results and provenance.
  var rewrites: [HostRewrite] = []
  /// Results other than the rewrites'.
  var results: [KRMResult] = []
  /// References to a source domain left after rewriting.
  var leftovers = 0
  /// Annotations to set or remove.
  var annotations = MappingEdits()
  /// Labels to set.
  var labels = MappingEdits()

  /// The item's reference and file for results, read once.
  let resourceRef: KRMResult.ResourceRef
  let file: KRMResult.File?

  init(item: ResourceItem, config: MirrorConfig) {
    self.item = item
    self.config = config
    self.resourceRef = item.resourceRef
    self.file = item.file
  }

  /// The value a scalar has after this run's edits.
  func currentValue(_ node: NodeID) -> [UInt8] {
    newValues[node] ?? document.value(of: node)
  }

  /// Whether a scalar was edited in this run.
  func isEdited(_ node: NodeID) -> Bool { newValues[node] != nil }

  /// Whether the run changes the resource's content (not counting tags).
  var changed: Bool { !newValues.isEmpty || !structuralEdits.isEmpty }

  /// Applies the host matches of `matcher` to scalar `node`; records the
  /// rewrite with the path `path` renders (called only when there is one).
  /// Does nothing for a scalar already edited.
  mutating func rewriteHosts(_ node: NodeID, path: () -> String, matcher: HostMatcher) {
    guard document.kind(of: node) == .scalar, !isEdited(node), matcher.mayMatch(document, node)
    else { return }
    let value = document.value(of: node)
    let matches = matcher.matches(in: value)
    guard !matches.isEmpty else { return }
    let substitutions = matches.map { (range: $0.range, replacement: $0.replacement) }
    let newValue = Document.applying(substitutions, to: value)
    setValue(node, newValue, edits: document.edits(substituting: substitutions, in: node))
    var used: [HostMapping] = []
    for match in matches where !used.contains(matcher.mappings[match.mapping]) {
      used.append(matcher.mappings[match.mapping])
    }
    rewrites.append(
      HostRewrite(
        path: path(), currentValue: String(decoding: value, as: UTF8.self),
        proposedValue: String(decoding: newValue, as: UTF8.self),
        originalHosts: matches.map(\.hostName), mappings: used))
  }

  /// Replaces a scalar's whole value (in its style). A scalar an earlier
  /// step already edited gets one whole-token edit with the final value, so
  /// two steps touching the same scalar compose instead of one losing.
  mutating func replaceValue(_ node: NodeID, with value: [UInt8]) {
    setValue(node, value, edits: [document.edit(replacingValueOf: node, with: value)])
  }

  private mutating func setValue(_ node: NodeID, _ value: [UInt8], edits: [Edit]) {
    scalarEdits[node] = edits
    newValues[node] = value
  }

  /// Drops the metadata changes that could only be written by losing text:
  /// a `metadata`, `annotations` or `labels` that holds something other
  /// than a mapping or null (invalid for Kubernetes, but not krm-mirror's to
  /// delete). A warning says what was not written.
  mutating func dropUnwritableMetadata() {
    guard !annotations.isEmpty || !labels.isEmpty else { return }
    let document = self.document
    func unwritable(_ node: NodeID?) -> Bool {
      node.map { document.kind(of: $0) != .mapping && !document.isNull($0) } ?? false
    }
    var blocked: [String] = []
    if unwritable(document.value("metadata", in: item.node)) {
      blocked = ["metadata"]
    } else if let metadata = item.metadata {
      if !annotations.isEmpty && unwritable(document.value("annotations", in: metadata)) {
        blocked.append("metadata.annotations")
      }
      if !labels.isEmpty && unwritable(document.value("labels", in: metadata)) {
        blocked.append("metadata.labels")
      }
    }
    for path in blocked {
      if path != "metadata.labels" { annotations = MappingEdits() }
      if path != "metadata.annotations" { labels = MappingEdits() }
      results.append(
        KRMResult(
          message: "\(path) is not a mapping; krm-mirror's annotations and labels not written",
          severity: .warning, resourceRef: resourceRef, field: .init(path: path), file: file))
    }
  }

  /// All edits of the run: scalars, structure, then metadata.
  func edits() -> [Edit] {
    var edits = scalarEdits.keys.sorted { $0.index < $1.index }.flatMap { scalarEdits[$0] ?? [] }
    edits += structuralEdits
    let layout = Self.metadataLayout(item)
    if let metadata = item.metadata {
      if !annotations.isEmpty {
        edits += annotations.edits(
          in: document, mapping: item.annotations, key: "annotations", parent: metadata,
          layout: layout)
      }
      if !labels.isEmpty {
        edits += labels.edits(
          in: document, mapping: item.labels, key: "labels", parent: metadata, layout: layout)
      }
    } else if item.isMapping && !(annotations.sets.isEmpty && labels.sets.isEmpty) {
      var metadata: [(String, YAMLFragment)] = []
      if !annotations.sets.isEmpty {
        metadata.append(("annotations", .mapping(annotations.sets.map { ($0.0, .scalar($0.1)) })))
      }
      if !labels.sets.isEmpty {
        metadata.append(("labels", .mapping(labels.sets.map { ($0.0, .scalar($0.1)) })))
      }
      if let entry = document.entry("metadata", in: item.node) {
        // `metadata:` with a null value: give it the mapping.
        edits.append(
          document.edit(
            replacingValue: entry.value, ofKey: entry.key, in: item.node,
            with: .mapping(metadata)))
      } else {
        edits.append(document.edit(appending: [("metadata", .mapping(metadata))], to: item.node))
      }
    }
    return edits
  }

  /// The indentation step used inside `metadata` (its keys' column minus the
  /// `metadata` key's), so a new nested mapping matches its neighbours.
  static func metadataLayout(_ item: ResourceItem) -> BlockLayout {
    let document = item.document
    var layout = BlockLayout()
    if let metadata = item.metadata,
      let metadataKey = document.entry("metadata", in: item.node)?.key,
      let firstKey = document.entries(of: metadata).first?.key
    {
      let step =
        document.column(of: document.span(of: firstKey).lowerBound)
        - document.column(of: document.span(of: metadataKey).lowerBound)
      if step > 0 { layout.step = step }
    }
    return layout
  }

}

extension String {
  /// The string without leading and trailing spaces.
  func trimmingSpaces() -> String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
