import Foundation
import Mirror
import Testing

/// Every line of the built-in host field and secret-name tables, exercised
/// on its own: for each entry and each of its groups and kinds, a minimal
/// resource with a source host (or TLS secret name) at the entry's path goes
/// through filter and KRM modes. Each table is also compared with a list
/// written here from the field lists of the hosts reference, so a mistyped
/// key or kind in a table cannot hide by being copied into the generated
/// input.
struct HostFieldCoverageTests {
  /// The expected table, entry by entry: groups, kinds, path. Written from
  /// the upstream field lists, not from HostField.swift.
  static let expected: [(groups: [String], kinds: [String], path: String)] = {
    let ingress = ["networking.k8s.io", "extensions"]
    let gateway = ["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"]
    let traefik = ["traefik.io", "traefik.containo.us"]
    let routeKinds = ["IngressRoute", "IngressRouteTCP"]
    let lines: [([String], [String], String)] = [
      (ingress, ["Ingress"], "spec.rules[].host"),
      (ingress, ["Ingress"], "spec.tls[].hosts[]"),
      (gateway, ["Gateway", "ListenerSet", "XListenerSet"], "spec.listeners[].hostname"),
      (gateway, ["HTTPRoute", "GRPCRoute", "TLSRoute"], "spec.hostnames[]"),
      (gateway, ["HTTPRoute"], "spec.rules[].filters[].requestRedirect.hostname"),
      (gateway, ["HTTPRoute"], "spec.rules[].filters[].urlRewrite.hostname"),
      (["networking.istio.io"], ["VirtualService"], "spec.hosts[]"),
      (["networking.istio.io"], ["VirtualService"], "spec.tls[].match[].sniHosts[]"),
      (["networking.istio.io"], ["Gateway"], "spec.servers[].hosts[]"),
      (traefik, routeKinds, "spec.routes[].match"),
      (traefik, routeKinds, "spec.tls.domains[].main"),
      (traefik, routeKinds, "spec.tls.domains[].sans[]"),
      (["projectcontour.io"], ["HTTPProxy"], "spec.virtualhost.fqdn"),
      (["route.openshift.io"], ["Route"], "spec.host"),
      (["cert-manager.io"], ["Certificate"], "spec.dnsNames[]"),
      (["cert-manager.io"], ["Certificate"], "spec.commonName"),
      (
        ["cert-manager.io"], ["Issuer", "ClusterIssuer"], "spec.acme.solvers[].selector.dnsNames[]"
      ),
      (
        ["cert-manager.io"], ["Issuer", "ClusterIssuer"], "spec.acme.solvers[].selector.dnsZones[]"
      ),
      (["getambassador.io"], ["Mapping", "Host"], "spec.hostname"),
      (["externaldns.k8s.io"], ["DNSEndpoint"], "spec.endpoints[].dnsName"),
      (["externaldns.k8s.io"], ["DNSEndpoint"], "spec.endpoints[].targets[]"),
      (["networking.istio.io"], ["ServiceEntry"], "spec.hosts[]"),
      (["networking.istio.io"], ["DestinationRule"], "spec.host"),
      (["networking.istio.io"], ["VirtualService"], "spec.http[].route[].destination.host"),
      (["networking.istio.io"], ["VirtualService"], "spec.tcp[].route[].destination.host"),
      (["networking.istio.io"], ["VirtualService"], "spec.tls[].route[].destination.host"),
      (["networking.istio.io"], ["VirtualService"], "spec.http[].redirect.authority"),
      (["networking.istio.io"], ["VirtualService"], "spec.http[].rewrite.authority"),
      (["networking.istio.io"], ["VirtualService"], "spec.http[].mirror.host"),
      (["projectcontour.io"], ["HTTPProxy"], "spec.routes[].requestRedirectPolicy.hostname"),
      (gateway, ["BackendTLSPolicy"], "spec.validation.hostname"),
      (["getambassador.io"], ["Mapping"], "spec.host"),
      ([""], ["Service"], "spec.externalName"),
    ]
    let annotations = [
      "external-dns.alpha.kubernetes.io/hostname",
      "external-dns.alpha.kubernetes.io/internal-hostname",
      "external-dns.alpha.kubernetes.io/target",
      "external-dns.kubernetes.io/hostname",
      "external-dns.kubernetes.io/internal-hostname",
      "external-dns.kubernetes.io/target",
      "cert-manager.io/common-name",
      "cert-manager.io/alt-names",
      "nginx.ingress.kubernetes.io/server-alias",
      "nginx.ingress.kubernetes.io/permanent-redirect",
      "nginx.ingress.kubernetes.io/temporal-redirect",
      "nginx.ingress.kubernetes.io/auth-url",
      "nginx.ingress.kubernetes.io/auth-signin",
      "nginx.ingress.kubernetes.io/cors-allow-origin",
      "nginx.ingress.kubernetes.io/upstream-vhost",
    ]
    return (lines + annotations.map { ([], [], "metadata.annotations[\($0)]") }).map {
      (groups: $0.0, kinds: $0.1, path: $0.2)
    }
  }()

  /// The expected secret-name table (`secretNames: rename`), entry by entry.
  /// Where each workload kind keeps its pod spec (Kubernetes API reference).
  static let expectedPodSpecs: [(groups: [String], kinds: [String], spec: String)] = [
    ([""], ["Pod"], "spec"),
    ([""], ["PodTemplate"], "template.spec"),
    ([""], ["ReplicationController"], "spec.template.spec"),
    (["apps"], ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"], "spec.template.spec"),
    (["batch"], ["Job"], "spec.template.spec"),
    (["batch"], ["CronJob"], "spec.jobTemplate.spec.template.spec"),
  ]

  /// Where a pod spec names Secrets (Kubernetes API reference: volumes,
  /// projected sources, image pull secrets, env and envFrom of each kind of
  /// container).
  static let expectedPodSecretNames =
    [
      "volumes[].secret.secretName", "volumes[].projected.sources[].secret.name",
      "imagePullSecrets[].name",
    ]
    + ["containers", "initContainers", "ephemeralContainers"].flatMap {
      ["\($0)[].env[].valueFrom.secretKeyRef.name", "\($0)[].envFrom[].secretRef.name"]
    }

  typealias Entry = (groups: [String], kinds: [String], path: String)

  static let expectedOwnSecretNames: [Entry] =
    [
      (["networking.k8s.io", "extensions"], ["Ingress"], "spec.tls[].secretName"),
      (["cert-manager.io"], ["Certificate"], "spec.secretName"),
      (["networking.istio.io"], ["Gateway"], "spec.servers[].tls.credentialName"),
      (
        ["traefik.io", "traefik.containo.us"], ["IngressRoute", "IngressRouteTCP"],
        "spec.tls.secretName"
      ),
      (["traefik.io", "traefik.containo.us"], ["TLSStore"], "spec.defaultCertificate.secretName"),
      (["traefik.io", "traefik.containo.us"], ["TLSStore"], "spec.certificates[].secretName"),
      (["traefik.io", "traefik.containo.us"], ["TLSOption"], "spec.clientAuth.secretNames[]"),
      (["projectcontour.io"], ["HTTPProxy"], "spec.virtualhost.tls.secretName"),
      (["projectcontour.io"], ["TLSCertificateDelegation"], "spec.delegations[].secretName"),
      (["external-secrets.io"], ["ExternalSecret"], "spec.target.name"),
      (
        ["external-secrets.io"], ["ClusterExternalSecret"],
        "spec.externalSecretSpec.target.name"
      ),
      ([""], ["Secret"], "metadata.name"),
    ]

  static let expectedSecretNames: [Entry] =
    expectedOwnSecretNames
    + expectedPodSpecs.flatMap { (groups: [String], kinds: [String], spec: String) -> [Entry] in
      expectedPodSecretNames.map { (path: String) -> Entry in (groups, kinds, spec + "." + path) }
    }

  @Test("the built-in secret-name table is the documented list, entry by entry")
  func secretNameTableMatchesDocumentedList() {
    let table = HostFieldTable.secretNames
    #expect(table.count == Self.expectedSecretNames.count)
    for (index, (field, expected)) in zip(table, Self.expectedSecretNames).enumerated() {
      #expect(field.groups == expected.groups, "entry \(index): \(field.path)")
      #expect(field.kinds == expected.kinds, "entry \(index): \(field.path)")
      #expect(field.path.description == expected.path, "entry \(index)")
    }
  }

  @Test("the built-in host field table is the documented list, entry by entry")
  func tableMatchesDocumentedList() {
    let table = HostFieldTable.hosts
    #expect(table.count == Self.expected.count)
    for (index, (field, expected)) in zip(table, Self.expected).enumerated() {
      #expect(field.groups == expected.groups, "entry \(index): \(field.path)")
      #expect(field.kinds == expected.kinds, "entry \(index): \(field.path)")
      #expect(field.path.description == expected.path, "entry \(index)")
    }
  }

  /// One resource to run: the entry's path under one group and kind.
  struct Probe: CustomStringConvertible {
    var apiVersion: String
    var kind: String
    var path: FieldPath
    var description: String { "\(apiVersion) \(kind) \(path)" }
  }

  /// A probe per entry, group and kind of the table (`v1` ConfigMap for the
  /// entries that apply to any group and kind), and how many entries they
  /// cover.
  static func probes(of table: [HostField]) -> (probes: [Probe], coveredEntries: Int) {
    var probes: [Probe] = []
    var covered = 0
    for field in table {
      let groups = field.groups.isEmpty ? [""] : field.groups
      let kinds = field.kinds.isEmpty ? ["ConfigMap"] : field.kinds
      for group in groups {
        for kind in kinds {
          let apiVersion = group.isEmpty ? "v1" : "\(group)/v1"
          probes.append(Probe(apiVersion: apiVersion, kind: kind, path: field.path))
        }
      }
      covered += 1
    }
    return (probes, covered)
  }

  static let sourceHost = "app.staging.mycompany.com"
  static let mirrorHost = "app.mirror.mycompany.com"

  /// The value written at a path: a host, or the rule expression it sits
  /// in for Traefik's `match`.
  static func value(at path: FieldPath, host: String) -> String {
    path.steps.last == .key("match") ? "Host(`\(host)`)" : host
  }

  /// The path as a result names it: every `[]` is the first item.
  static func resultPath(_ path: FieldPath) -> String {
    path.description.replacingOccurrences(of: "[]", with: "[0]")
  }

  /// A resource with `value` at `path`, in block style; with `provenance`,
  /// the annotations the function adds to a changed resource.
  static func resource(_ probe: Probe, value: String, provenance: Bool) -> String {
    var metadata: [String] = []
    var annotations: [String] = []
    var body = ""
    let steps = probe.path.steps
    var name = "probe"
    if steps.count == 3, steps[0] == .key("metadata"), steps[1] == .key("annotations"),
      case .key(let key) = steps[2]
    {
      annotations.append("\(key): \(value)")
    } else if steps == [.key("metadata"), .key("name")] {
      name = value
    } else {
      body = node(steps[...], value: value, indent: 0)
    }
    if probe.kind == "Secret" { body += "type: kubernetes.io/tls\n" }
    metadata.append("name: \(name)")
    if provenance {
      annotations.append("krm-mirror.dev/original-hosts: \(sourceHost)")
      annotations.append("krm-mirror.dev/host-map: staging.mycompany.com=mirror.mycompany.com")
    }
    if !annotations.isEmpty {
      metadata.append("annotations:")
      metadata += annotations.map { "  " + $0 }
    }
    return "apiVersion: \(probe.apiVersion)\nkind: \(probe.kind)\nmetadata:\n"
      + metadata.map { "  \($0)\n" }.joined() + body
  }

  /// The text of a node at column `indent`, starting at that column: a key
  /// and what follows it, or a sequence item.
  static func node(_ steps: ArraySlice<FieldPath.Step>, value: String, indent: Int) -> String {
    guard let step = steps.first else { return value + "\n" }
    let rest = steps.dropFirst()
    switch step {
    case .key(let key):
      guard let next = rest.first else { return "\(key): \(value)\n" }
      if case .key = next {
        return "\(key):\n" + String(repeating: " ", count: indent + 2)
          + node(rest, value: value, indent: indent + 2)
      }
      return "\(key):\n" + String(repeating: " ", count: indent)
        + node(rest, value: value, indent: indent)
    case .everyItem, .item:
      return "- " + node(rest, value: value, indent: indent + 2)
    }
  }

  /// The runner's outcome for `input` with no command-line settings but
  /// the mapping (filter mode) or none (KRM mode, configured by the list).
  static func run(_ input: String, _ invocation: Invocation) -> Outcome {
    Runner(invocation: invocation, readFile: { _ in nil }).run(input: Array(input.utf8))
  }

  @Test("every table entry is rewritten, reported and tagged in filter and KRM modes")
  func everyEntry() {
    let (probes, covered) = Self.probes(of: HostFieldTable.hosts)
    #expect(covered == HostFieldTable.hosts.count)
    #expect(probes.count >= covered)
    let filter = Invocation(
      from: "staging.mycompany.com", to: "mirror.mycompany.com", verbose: true)
    for probe in probes {
      let input = Self.resource(
        probe, value: Self.value(at: probe.path, host: Self.sourceHost), provenance: false)
      let output = Self.resource(
        probe, value: Self.value(at: probe.path, host: Self.mirrorHost), provenance: true)
      let resultPath = Self.resultPath(probe.path)

      let filtered = Self.run(input, filter)
      #expect(filtered.status == .success, "\(probe): \(filtered.stderr)")
      #expect(String(decoding: filtered.stdout, as: UTF8.self) == output, "\(probe)")
      #expect(
        filtered.stderr.contains(" \(resultPath): rewrote "), "\(probe): \(filtered.stderr)")

      let list = Self.resourceList(items: input)
      let listed = Self.run(list, Invocation())
      #expect(listed.status == .success, "\(probe): \(listed.stderr)")
      let text = String(decoding: listed.stdout, as: UTF8.self)
      #expect(text.hasPrefix(Self.resourceList(items: output)), "\(probe):\n\(text)")
      #expect(text.contains("\n    path: \(resultPath)\n"), "\(probe):\n\(text)")
      #expect(
        text.contains(
          "\n    proposedValue: \(Self.value(at: probe.path, host: Self.mirrorHost))\n"),
        "\(probe):\n\(text)")
    }
  }

  /// A resource whose host `app.staging.mycompany.com` the render rewrites.
  static let hostDocument =
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\nspec:\n  rules:\n  - host: app.staging.mycompany.com\n"

  static let sourceSecret = "app-staging-mycompany-com-tls"
  static let mirrorSecret = "app-mirror-mycompany-com-tls"

  @Test("every secret-name entry is renamed and reported in filter and KRM modes")
  func everySecretNameEntry() {
    // ExternalSecrets make a TLS Secret only with `target.template.type:
    // kubernetes.io/tls`, which a probe of the bare path does not carry:
    // the secret-references goldens cover them.
    let (allProbes, covered) = Self.probes(of: HostFieldTable.secretNames)
    #expect(covered == HostFieldTable.secretNames.count)
    let probes = allProbes.filter { !$0.apiVersion.hasPrefix("external-secrets.io/") }
    #expect(probes.count == allProbes.count - 2)
    let filter = Invocation(
      from: "staging.mycompany.com", to: "mirror.mycompany.com", verbose: true,
      settings: [("secret-names", "rename")])
    for probe in probes {
      let input = Self.resource(probe, value: Self.sourceSecret, provenance: false)
      let output = Self.resource(probe, value: Self.mirrorSecret, provenance: false)
      let resultPath = Self.resultPath(probe.path)

      // A secret is renamed when the render rewrote the host its name
      // embeds: an Ingress with that host comes first.
      let filtered = Self.run(Self.hostDocument + "---\n" + input, filter)
      #expect(filtered.status == .success, "\(probe): \(filtered.stderr)")
      #expect(
        String(decoding: filtered.stdout, as: UTF8.self).hasSuffix("---\n" + output), "\(probe)")
      #expect(
        filtered.stderr.contains(" \(resultPath): renamed TLS secret "),
        "\(probe): \(filtered.stderr)")

      let listed = Self.run(
        Self.resourceList(items: input, data: ", secret-names: rename", after: Self.hostDocument),
        Invocation())
      #expect(listed.status == .success, "\(probe): \(listed.stderr)")
      let text = String(decoding: listed.stdout, as: UTF8.self)
      #expect(
        text.hasPrefix(Self.resourceList(items: output, data: "").prefix { $0 != "f" }),
        "\(probe):\n\(text)")
      #expect(text.contains("\n    path: \(resultPath)\n"), "\(probe):\n\(text)")
      #expect(text.contains("\n    proposedValue: \(Self.mirrorSecret)\n"), "\(probe):\n\(text)")
    }
  }

  /// A ResourceList with one item (the resource's lines under `- `) and a
  /// ConfigMap function config with the mapping.
  static func resourceList(items resource: String, data: String = "", after: String = "")
    -> String
  {
    let item = [resource, after].filter { !$0.isEmpty }.map {
      $0.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        .enumerated().map { ($0.offset == 0 ? "- " : "  ") + $0.element + "\n" }.joined()
    }.joined()
    return "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + item
      + "functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: function-input\n"
      + "  data: {from: staging.mycompany.com, to: mirror.mycompany.com\(data)}\n"
  }
}
