import KRM
import YAMLSplice

/// What the function does with resources of one `apiVersion` and `kind`:
/// the host fields and secret-name fields that apply, and which special
/// handling the kind gets. Worked out once per kind and kept in
/// ``KindPlans``, so a resource costs a lookup, not a scan of the tables.
/// A class: handing out a plan is one reference, not a copy of its arrays.
final class KindPlan {
  /// Fields whose hosts are rewritten: the built-in table's, then the
  /// user's (those under `status` left out), in table order.
  let hostPaths: FieldPathSet
  /// The same fields, user fields under `status` included: where TagMirror
  /// on its own looks for mirrored hosts.
  let taggedPaths: FieldPathSet
  /// Fields holding Secret names.
  let secretPaths: [FieldPath]
  /// Object references that may name a Secret (their `kind` says).
  let secretReferencePaths: [FieldPath]
  /// For an external-secrets producer: where the type of the Secret it
  /// makes is declared, and where its name is (absent: the producer's own
  /// name).
  let secretProducer: (type: FieldPath, name: FieldPath)?
  /// An Ingress of a group the field table knows.
  let isIngress: Bool
  /// A cert-manager Certificate.
  let isCertificate: Bool
  /// A core `Secret`.
  let isSecret: Bool

  init(apiVersion: String, kind: String, config: MirrorConfig) {
    let group = HostField.group(of: apiVersion)
    let builtIn = HostFieldTable.hostFields(apiVersion: apiVersion, kind: kind).map(\.path)
    let user = config.fields.filter {
      ($0.apiVersion == nil || $0.apiVersion == apiVersion) && ($0.kind == nil || $0.kind == kind)
    }.map(\.path)
    hostPaths = FieldPathSet(builtIn + user.filter { !$0.startsWithKey("status") })
    taggedPaths = FieldPathSet(builtIn + user)
    secretPaths = HostFieldTable.secretNameFields(apiVersion: apiVersion, kind: kind).map(\.path)
    secretReferencePaths = HostFieldTable.secretReferenceFields(apiVersion: apiVersion, kind: kind)
      .map(\.path)
    let target =
      HostFieldTable.externalSecrets.contains(group)
      ? [
        "ExternalSecret": "spec.target", "ClusterExternalSecret": "spec.externalSecretSpec.target",
      ][
        kind] : nil
    secretProducer = target.flatMap { target in
      guard let type = FieldPath(target + ".template.type"), let name = FieldPath(target + ".name")
      else { return nil }
      return (type, name)
    }
    isIngress = kind == "Ingress" && HostFieldTable.ingress.contains(group)
    isCertificate = kind == "Certificate" && HostFieldTable.certManager.contains(group)
    isSecret = kind == "Secret"
  }
}

/// The plans made so far, looked up by the bytes of `apiVersion` and
/// `kind`. A run meets a handful of kinds; the list is capped, and a kind
/// past the cap gets a fresh plan each time. Cost of a lookup: O(plans),
/// no allocation.
struct KindPlans {
  private var apiVersions: [[UInt8]] = []
  private var kinds: [[UInt8]] = []
  private var plans: [KindPlan] = []
  private static let capacity = 64

  /// The plan for `item` (which has a scalar `kind`).
  mutating func plan(for item: ResourceItem, config: MirrorConfig) -> KindPlan {
    let document = item.document
    func bytes(_ node: NodeID?) -> [UInt8] {
      guard let node, document.kind(of: node) == .scalar else { return [] }
      return document.value(of: node)
    }
    func matches(_ expected: [UInt8], _ node: NodeID?) -> Bool {
      guard let node, document.kind(of: node) == .scalar else { return expected.isEmpty }
      return expected.withUnsafeBufferPointer { document.scalar(node, equals: $0) }
    }
    for index in plans.indices
    where matches(kinds[index], item.kindNode) && matches(apiVersions[index], item.apiVersionNode) {
      return plans[index]
    }
    let plan = KindPlan(
      apiVersion: item.apiVersion ?? "", kind: item.kind ?? "", config: config)
    if plans.count < Self.capacity {
      apiVersions.append(bytes(item.apiVersionNode))
      kinds.append(bytes(item.kindNode))
      plans.append(plan)
    }
    return plan
  }
}
