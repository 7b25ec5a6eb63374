import KRM
import YAMLSplice

/// The TLS step: rule hosts covered by the Ingress's TLS entries, secret
/// names that embed a source domain, the cert-manager issuer.
extension MirrorFunction {
  static let clusterIssuerKey = "cert-manager.io/cluster-issuer"
  static let issuerKeys = [
    "cert-manager.io/issuer", "cert-manager.io/issuer-kind", "cert-manager.io/issuer-group",
  ]

  func syncTLS(
    _ run: inout ItemRun, plan: KindPlan, secrets: inout SecretRenames, results: inout ResultLog
  ) {
    if plan.isIngress { coverRuleHosts(&run, results: &results) }
    if config.secretNames == .rename {
      renameSecrets(&run, plan: plan, secrets: &secrets, results: &results)
    }
    if !config.clusterIssuer.isEmpty { setClusterIssuer(&run, plan: plan, results: &results) }
  }

  /// Where an Ingress's rule hosts are.
  static let ruleHosts = FieldPath("spec.rules[].host")

  // MARK: - Rule host coverage

  /// Every mirrored rule host must be covered by a TLS entry (exactly, or by
  /// a one-label wildcard). An uncovered one is appended to the entry that
  /// carries its siblings (hosts with the same parent domain, else hosts
  /// under the same mirror domain) when `coverRuleHosts`; otherwise, or when
  /// no entry fits, a warning says so. Ingresses without TLS are left alone.
  func coverRuleHosts(_ run: inout ItemRun, results: inout ResultLog) {
    let document = run.document
    guard let spec = document.value("spec", in: run.item.node),
      let tls = document.value("tls", in: spec), document.kind(of: tls) == .sequence
    else { return }
    let ruleHosts = (Self.ruleHosts?.resolve(in: document, from: run.item.node) ?? []).filter {
      document.kind(of: $0.0) == .scalar
        && (run.isEdited($0.0)
          || (!config.steps.contains(.replaceHosts)
            && reverseMatcher.hasMatch(in: run.currentValue($0.0))))
    }
    // Only mirrored rule hosts need covering.
    guard !ruleHosts.isEmpty else { return }
    var entries: [(index: Int, hosts: NodeID, values: [String])] = []
    for (index, entry) in document.children(of: tls).enumerated() {
      guard let hosts = document.value("hosts", in: entry), document.kind(of: hosts) == .sequence
      else { continue }
      let values = document.children(of: hosts).filter { document.kind(of: $0) == .scalar }
        .map { Self.hostName(run.currentValue($0)) }
      entries.append((index, hosts, values))
    }
    guard !entries.isEmpty else { return }
    var additions: [Int: [String]] = [:]
    for (node, path) in ruleHosts {
      let host = Self.hostName(run.currentValue(node))
      let covered = entries.contains { entry in
        (entry.values + (additions[entry.index] ?? [])).contains { Self.covers($0, host) }
      }
      if covered { continue }
      let target = coverRuleHosts ? siblingEntry(for: host, in: entries) : nil
      if let target {
        additions[target, default: []].append(host)
        run.report(
          .info, "added rule host \(host) to spec.tls[\(target)].hosts: no TLS entry covered it",
          path: "spec.tls[\(target)].hosts", proposed: host, to: &results)
      } else {
        let why =
          coverRuleHosts
          ? "no TLS entry covers it and none carries its sibling hosts"
          : "no TLS entry covers it (coverRuleHosts is off)"
        run.report(
          .warning, "rule host \(host): \(why)", path: path.description, current: host,
          to: &results)
      }
    }
    for entry in entries {
      guard let hosts = additions[entry.index] else { continue }
      run.structuralEdits.append(
        document.edit(appendingItems: hosts.map { .scalar($0) }, to: entry.hosts))
    }
  }

  private var coverRuleHosts: Bool { config.coverRuleHosts }

  /// The TLS entry whose hosts share `host`'s parent domain, else one with a
  /// host under the same mirror domain; nil when none.
  private func siblingEntry(
    for host: String, in entries: [(index: Int, hosts: NodeID, values: [String])]
  ) -> Int? {
    let parent = Self.parentDomain(host)
    if let entry = entries.first(where: { $0.values.contains { Self.parentDomain($0) == parent } })
    {
      return entry.index
    }
    for mapping in config.hosts where Self.isUnder(host, mapping.to) {
      if let entry = entries.first(where: { $0.values.contains { Self.isUnder($0, mapping.to) } }) {
        return entry.index
      }
    }
    return nil
  }

  /// A host for comparisons: lowercase, trimmed, without a trailing dot.
  static func hostName(_ bytes: [UInt8]) -> String {
    if bytes.allSatisfy({ $0 < 0x80 }) {
      // ASCII: the same as below, without Unicode case mapping.
      var slice = bytes[...]
      while let last = slice.last, last == 0x20 || (last >= 0x09 && last <= 0x0D) {
        slice.removeLast()
      }
      while let first = slice.first, first == 0x20 || (first >= 0x09 && first <= 0x0D) {
        slice.removeFirst()
      }
      if slice.last == UInt8(ascii: ".") { slice.removeLast() }
      return String(decoding: slice.map(HostMatcher.lowercase), as: UTF8.self)
    }
    var text = String(decoding: bytes, as: UTF8.self).lowercased()
    while let last = text.last, last.isWhitespace { text.removeLast() }
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

  /// Whether TLS host `tls` covers `host`: equal, or `*.parent` with `host`
  /// one label under `parent`.
  static func covers(_ tls: String, _ host: String) -> Bool {
    if tls == host { return true }
    guard tls.hasPrefix("*.") else { return false }
    return !host.hasPrefix("*.") && parentDomain(host) == String(tls.dropFirst(2))
  }

  static func parentDomain(_ host: String) -> String {
    guard let dot = host.firstIndex(of: ".") else { return "" }
    return String(host[host.index(after: dot)...])
  }

  static func isUnder(_ host: String, _ domain: String) -> Bool {
    host == domain || host.hasSuffix("." + domain)
  }

  // MARK: - Secret names

  /// Records the hosts this resource had rewritten (or, for `SyncTLS` on
  /// its own, the originals of hosts under a `to`) and their domains: what
  /// decides which secret names are renamed (see ``SecretRenames``).
  func recordRewrittenHosts(_ run: ItemRun, plan: KindPlan, into secrets: inout SecretRenames) {
    if config.steps.contains(.replaceHosts) {
      for range in run.originalHostRanges { secrets.addRewrittenHost(run.originalHosts[range]) }
      for index in run.usedMappings { secrets.addRewrittenDomain(matcher.mappings[index].from) }
    } else {
      for host in mirroredHosts(in: run, plan: plan).hosts {
        secrets.addRewrittenHost(Array(host.utf8))
        for mapping in config.hosts
        where Self.isUnder(Self.hostName(Array(host.utf8)), mapping.from) {
          secrets.addRewrittenDomain(mapping.from)
        }
      }
    }
  }

  /// What a resource the selectors leave out means for secret renaming:
  /// a Secret there keeps its name, so references to it keep theirs; a
  /// reference there to a Secret renamed elsewhere cannot follow, which
  /// the end of the run reports.
  func recordUnselectedSecretNames(_ item: ResourceItem, into output: inout Output) {
    guard item.kindNode != nil else { return }
    let plan = output.plans.plan(for: item, config: config)
    let document = item.document
    if plan.isSecret {
      if let metadata = item.metadata, let name = document.value("name", in: metadata),
        document.kind(of: name) == .scalar
      {
        output.secrets.keep(document.value(of: name))
      }
      return
    }
    var names: [(NodeID, String)] = []
    for path in plan.secretPaths {
      for (node, path) in path.resolve(in: document, from: item.node)
      where document.kind(of: node) == .scalar {
        names.append((node, path.description))
      }
    }
    for path in plan.secretReferencePaths {
      for (reference, path) in path.resolve(in: document, from: item.node)
      where document.kind(of: reference) == .mapping {
        if let name = document.value("name", in: reference), document.kind(of: name) == .scalar {
          names.append((name, path.description + ".name"))
        }
      }
    }
    for (node, path) in names {
      output.secrets.addUnfollowed(
        value: document.value(of: node), in: item, path: path, excluded: true, secretNames)
    }
  }

  /// Renames the Secret names of one resource by the rule of
  /// ``SecretRenames``: its own name (a `kubernetes.io/tls` Secret), the
  /// name a producer gives, every reference in the secret-name table; and
  /// records strings elsewhere in it that may name a Secret, which the end
  /// of the run reports when that Secret was renamed. A Secret of another
  /// type, or an external-secrets producer not declaring that type, keeps
  /// its name, and so do the references to it.
  /// Cost: the table's paths, plus one scan of the resource's scalars that
  /// may hold a source domain.
  func renameSecrets(
    _ run: inout ItemRun, plan: KindPlan, secrets: inout SecretRenames, results: inout ResultLog
  ) {
    let document = run.document
    let item = run.item
    let tlsType = "kubernetes.io/tls"
    if plan.isSecret && document.string("type", in: item.node) != tlsType {
      if let metadata = item.metadata, let name = document.value("name", in: metadata),
        document.kind(of: name) == .scalar
      {
        secrets.keep(run.currentValue(name))
      }
      return
    }
    var followed: [NodeID] = []
    if let producer = plan.secretProducer {
      let type = producer.type.resolve(in: document, from: item.node).first.flatMap {
        document.kind(of: $0.0) == .scalar ? document.string(of: $0.0) : nil
      }
      let target = producer.name.resolve(in: document, from: item.node).first?.0
      if let target, document.kind(of: target) == .scalar {
        if type != tlsType {
          secrets.keep(run.currentValue(target))
          followed.append(target)
        }
      } else if let metadata = item.metadata, let name = document.value("name", in: metadata),
        document.kind(of: name) == .scalar
      {
        // The Secret takes the producer's own name, which stays.
        secrets.keep(run.currentValue(name))
      }
    }
    let holder = { "\(item.kind ?? "")/\(item.name ?? "")" }
    for path in plan.secretPaths {
      for (node, path) in path.resolve(in: document, from: item.node)
      where document.kind(of: node) == .scalar && !followed.contains(node) {
        followed.append(node)
        renameSecret(
          node, path: path.description, &run, secrets: &secrets, holder: holder, results: &results)
      }
    }
    for path in plan.secretReferencePaths {
      for (reference, path) in path.resolve(in: document, from: item.node)
      where document.kind(of: reference) == .mapping {
        let kind = document.string("kind", in: reference)
        let group = document.string("group", in: reference)
        guard kind == nil || kind == "Secret", group == nil || group == "",
          let name = document.value("name", in: reference), document.kind(of: name) == .scalar
        else { continue }
        followed.append(name)
        renameSecret(
          name, path: path.description + ".name", &run, secrets: &secrets, holder: holder,
          results: &results)
      }
    }
    recordUnfollowed(run, skipping: followed, into: &secrets)
  }

  private func renameSecret(
    _ node: NodeID, path: String, _ run: inout ItemRun, secrets: inout SecretRenames,
    holder: () -> String, results: inout ResultLog
  ) {
    let value = run.currentValue(node)
    guard let renamed = secrets.decide(value, holder: holder, secretNames) else { return }
    run.replaceValue(node, with: renamed)
    let old = String(decoding: value, as: UTF8.self)
    let new = String(decoding: renamed, as: UTF8.self)
    run.report(
      .info, "renamed TLS secret \(old) to \(new)", path: path, current: old, proposed: new,
      to: &results)
  }

  /// Records the strings of a resource that may name a Secret in a place
  /// krm-mirror does not rename: annotation values, and values whose key,
  /// or its parent's key, says `secret`, `cert` or `tls` (`tlsSecret`,
  /// `secretRef.name`, `data.TLS_SECRET`), except the `followed` fields,
  /// the `name` of a reference to another kind, and whole hosts.
  private func recordUnfollowed(
    _ run: ItemRun, skipping followed: [NodeID], into secrets: inout SecretRenames
  ) {
    let item = run.item
    var candidates: [NodeID] = []
    ScalarCandidates.forEach(in: item, matcher: matcher, alsoVisiting: []) { candidates.append($0) }
    var found: [HostMatcher.Match] = []
    for node in candidates where !followed.contains(node) {
      let value = run.currentValue(node)
      guard secretNames.rename(value) != nil else { continue }
      found.removeAll(keepingCapacity: true)
      value.withUnsafeBufferPointer { matcher.matches(in: $0, into: &found) }
      // A whole host is the host rewrite's and the leak check's business.
      let whole = value.last == UInt8(ascii: ".") ? value.count - 1 : value.count
      if found.contains(where: { $0.host == 0..<whole }) { continue }
      guard let place = ScalarCandidates.place(of: node, in: item),
        !place.isKey
      else { continue }
      var pathBytes: [UInt8] = []
      ScalarCandidates.writePath(of: node, in: item, into: &pathBytes)
      let path = String(decoding: pathBytes, as: UTF8.self)
      if !path.hasPrefix("metadata.annotations[") {
        guard !path.hasPrefix("metadata."), Self.mayNameSecret(path),
          !Self.namesOtherKind(node, in: run.document)
        else { continue }
      }
      secrets.addUnfollowed(value: value, in: item, path: path, excluded: false, secretNames)
    }
  }

  /// Whether the last two keys of `path` (`a.b[0].c`) say `secret`,
  /// `cert` or `tls`, in any case.
  static func mayNameSecret(_ path: String) -> Bool {
    let keys = path.split { $0 == "." || $0 == "[" }.filter { !$0.hasSuffix("]") }
    return keys.suffix(2).contains { key in
      let lowered = key.lowercased()
      return lowered.contains("secret") || lowered.contains("cert") || lowered.contains("tls")
    }
  }

  /// Whether `node` is the `name` of an object reference whose `kind` is
  /// not `Secret`.
  static func namesOtherKind(_ node: NodeID, in document: Document) -> Bool {
    guard let parent = document.parent(of: node), document.kind(of: parent) == .mapping,
      let kind = document.string("kind", in: parent)
    else { return false }
    return kind != "Secret"
  }

  // MARK: - Cluster issuer

  /// Points resources that use cert-manager at `clusterIssuer`: the
  /// ingress-shim annotations (`cluster-issuer` set; `issuer`, `issuer-kind`,
  /// `issuer-group` removed) and a Certificate's `spec.issuerRef`.
  func setClusterIssuer(_ run: inout ItemRun, plan: KindPlan, results: inout ResultLog) {
    let issuer = config.clusterIssuer
    let item = run.item
    let usesShim =
      item.annotation(Self.clusterIssuerKey) != nil
      || Self.issuerKeys.contains { item.annotation($0) != nil }
      || item.annotation("kubernetes.io/tls-acme") == "true"
    if usesShim {
      let stale = Self.issuerKeys.filter { item.annotation($0) != nil }
      if item.annotation(Self.clusterIssuerKey) != issuer || !stale.isEmpty {
        run.annotations.set(Self.clusterIssuerKey, issuer)
        run.annotations.removals += stale
        run.report(
          .info, "cert-manager issuer set to ClusterIssuer \(issuer)",
          path: "metadata.annotations[\(Self.clusterIssuerKey)]",
          current: item.annotation(Self.clusterIssuerKey), proposed: issuer, to: &results)
      }
    }
    guard plan.isCertificate,
      let spec = run.document.value("spec", in: item.node),
      let reference = run.document.value("issuerRef", in: spec),
      run.document.kind(of: reference) == .mapping
    else { return }
    var edits = MappingEdits()
    if run.document.string("name", in: reference) != issuer { edits.set("name", issuer) }
    if run.document.string("kind", in: reference) != "ClusterIssuer" {
      edits.set("kind", "ClusterIssuer")
    }
    if let group = run.document.string("group", in: reference), group != "cert-manager.io" {
      edits.set("group", "cert-manager.io")
    }
    guard !edits.isEmpty else { return }
    run.structuralEdits += edits.edits(
      in: run.document, mapping: reference, key: "issuerRef", parent: spec, layout: BlockLayout())
    run.report(
      .info, "issuerRef set to ClusterIssuer \(issuer)", path: "spec.issuerRef",
      current: run.document.string("name", in: reference), proposed: issuer, to: &results)
  }
}
