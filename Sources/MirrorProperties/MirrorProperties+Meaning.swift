import KRM
import Mirror
import YAMLSplice

/// The properties about meaning, checked on resolved trees (see
/// ``ResolvedTree``): what kubectl would read, whatever the engine did with
/// anchors, aliases and merge keys.
extension MirrorProperties {
  /// Keys whose value selects objects by their labels.
  static let selectorKeys: Set<String> = [
    "selector", "matchLabels", "matchExpressions", "podSelector", "namespaceSelector",
  ]

  /// The first selector or Secret-reference property the run of `run`
  /// (which gave `outcome`) breaks, or nil. Needs the run to succeed and the input and output to
  /// hold the same number of resources (they are paired in order).
  static func meaningViolation(run: PreparedRun, outcome: Outcome, checks: Checks) -> String? {
    guard !checks.isDisjoint(with: [.selectors, .secretReferences]), !run.usesOwnConfig else {
      return nil
    }
    guard outcome.status == .success,
      let before = resources(run.input), let after = resources(outcome.stdout),
      before.count == after.count
    else { return nil }
    if checks.contains(.selectors),
      let problem = selectorViolation(
        before: before, after: after, sources: run.configuration.sources)
    {
      return problem
    }
    if checks.contains(.secretReferences) && run.configuration.secretNames == "rename" {
      return secretReferenceViolation(before: before, after: after)
    }
    return nil
  }

  /// The first selector or pod-template label set (see
  /// ``collectSelectors(_:path:into:)``) that differs between resources
  /// paired in order, unless it held one of the `sources` domains before.
  public static func selectorViolation(
    before: [ResolvedTree?], after: [ResolvedTree?], sources: [String]
  ) -> String? {
    let sources = sources.map { $0.lowercased() }
    for (index, (old, new)) in zip(before, after).enumerated() {
      guard let old, let new else { continue }
      var oldParts: [String: ResolvedTree] = [:]
      var newParts: [String: ResolvedTree] = [:]
      collectSelectors(old, path: "", into: &oldParts)
      collectSelectors(new, path: "", into: &newParts)
      for path in Set(oldParts.keys).union(newParts.keys).sorted()
      where oldParts[path] != newParts[path] {
        let holdsSource =
          oldParts[path]?.containsScalar { value in
            let lowered = value.lowercased()
            return sources.contains { lowered.contains($0) }
          } ?? false
        if !holdsSource { return "resource \(index): \(path) changed without a source host in it" }
      }
    }
    return nil
  }

  /// The first reference in `after` that names a Secret renamed between
  /// `before` and `after` (resources paired in order), unless another
  /// Secret still has that name.
  public static func secretReferenceViolation(before: [ResolvedTree?], after: [ResolvedTree?])
    -> String?
  {
    var renamed: Set<String> = []
    for (old, new) in zip(before, after) {
      guard let old, let new, old["kind"]?.string == "Secret", new["kind"]?.string == "Secret",
        let oldName = old["metadata"]?["name"]?.string,
        let newName = new["metadata"]?["name"]?.string, oldName != newName
      else { continue }
      renamed.insert(oldName)
    }
    for resource in after where resource?["kind"]?.string == "Secret" {
      if let name = resource?["metadata"]?["name"]?.string { renamed.remove(name) }
    }
    guard !renamed.isEmpty else { return nil }
    for (index, resource) in after.enumerated() {
      // Only resources krm-mirror works on: a kind, not a Kptfile, not
      // local configuration, not its own configuration.
      guard let resource, let kind = resource["kind"]?.string, kind != "Kptfile",
        resource["metadata"]?["annotations"]?["config.kubernetes.io/local-config"]?.string
          ?? "false" == "false",
        !(resource["apiVersion"]?.string ?? "").hasPrefix("krm-mirror.dev/")
      else { continue }
      var found: String?
      forEachSecretReference(in: resource, kind: kind, context: "", path: "") { name, path in
        if found == nil && renamed.contains(name) { found = path }
      }
      if let found {
        return "resource \(index): \(found) still names a Secret the run renamed"
      }
    }
    return nil
  }

  /// The resolved resources of `bytes`: a ResourceList's items, else the
  /// documents. Nil when the bytes do not parse; an item that cannot be
  /// resolved (alias bomb) is nil.
  public static func resources(_ bytes: [UInt8]) -> [ResolvedTree?]? {
    guard let documents = try? StreamParser.parse(bytes) else { return nil }
    if documents.count == 1, let list = ResourceList(documents[0]) {
      var composer = ResolvedTreeComposer(document: list.document)
      return list.items.map { composer.compose($0) }
    }
    return documents.map { document in
      var composer = ResolvedTreeComposer(document: document)
      return composer.compose(document.root)
    }
  }

  /// Collects, by path, every selector (``selectorKeys``) and every pod
  /// template's `metadata.labels` (absent ones too) under `tree`.
  static func collectSelectors(
    _ tree: ResolvedTree, path: String, into parts: inout [String: ResolvedTree]
  ) {
    switch tree {
    case .scalar: return
    case .sequence(let items):
      for (index, item) in items.enumerated() {
        collectSelectors(item, path: "\(path)[\(index)]", into: &parts)
      }
    case .mapping(let entries):
      for entry in entries {
        guard let key = entry.key.string else { continue }
        let child = path.isEmpty ? key : "\(path).\(key)"
        if selectorKeys.contains(key) {
          parts[child] = entry.value
          continue
        }
        if key == "template", case .mapping = entry.value, path.hasSuffix("spec") {
          parts[child + ".metadata.labels"] =
            entry.value["metadata"]?["labels"] ?? .scalar("(absent)")
        }
        collectSelectors(entry.value, path: child, into: &parts)
      }
    }
  }

  /// Calls `body` with every value under `tree` that names a Secret: a
  /// `secretName` or `credentialName`, or the `name` of a mapping held by a
  /// key about secrets (`secret`, `secretRef`, `tls.secretRef`,
  /// `certificateRefs`, an ExternalSecret's `target`).
  static func forEachSecretReference(
    in tree: ResolvedTree, kind: String, context: String, path: String,
    _ body: (String, String) -> Void
  ) {
    switch tree {
    case .scalar: return
    case .sequence(let items):
      for (index, item) in items.enumerated() {
        forEachSecretReference(
          in: item, kind: kind, context: context, path: "\(path)[\(index)]", body)
      }
    case .mapping(let entries):
      let namesSecret =
        context.lowercased().contains("secret") || context == "certificateRefs"
        || (context == "target" && kind == "ExternalSecret")
      for entry in entries {
        guard let key = entry.key.string else { continue }
        let child = path.isEmpty ? key : "\(path).\(key)"
        if let value = entry.value.string {
          if key == "secretName" || key == "credentialName" || (key == "name" && namesSecret) {
            body(value, child)
          }
          continue
        }
        forEachSecretReference(in: entry.value, kind: kind, context: key, path: child, body)
      }
    }
  }
}
