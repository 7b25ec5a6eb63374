/// A place in a resource that carries hostnames (or, in the secret-name
/// table, TLS secret names).
public struct HostField: Equatable, Sendable {
  /// The API groups the field applies to (`networking.k8s.io`; `""` is the
  /// core group); empty means any group.
  public var groups: [String]
  /// The kinds the field applies to; empty means any kind.
  public var kinds: [String]
  /// Where the value is.
  public var path: FieldPath

  /// The API group of an apiVersion (`""` for the core group's `v1`).
  public static func group(of apiVersion: String) -> String {
    guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
    return String(apiVersion[..<slash])
  }

  /// Whether the field applies to a resource of `group` and `kind`.
  public func applies(group: String, kind: String) -> Bool {
    (kinds.isEmpty || kinds.contains(kind)) && (groups.isEmpty || groups.contains(group))
  }
}

/// The built-in fields: one line per kinds and path. Adding a field is
/// adding a line.
public enum HostFieldTable {
  static let ingress = ["networking.k8s.io", "extensions"]
  static let gatewayAPI = ["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"]
  static let istio = ["networking.istio.io"]
  static let traefik = ["traefik.io", "traefik.containo.us"]
  static let contour = ["projectcontour.io"]
  static let openshift = ["route.openshift.io"]
  static let certManager = ["cert-manager.io"]
  static let emissary = ["getambassador.io"]
  static let externalDNS = ["externaldns.k8s.io"]
  static let anyGroup: [String] = []
  static let anyKind: [String] = []

  /// Annotations that carry hosts on any kind (`a/b` keys).
  static let hostAnnotations = [
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

  /// Every built-in host field.
  public static let hosts: [HostField] = table(
    [
      (ingress, ["Ingress"], "spec.rules[].host"),
      (ingress, ["Ingress"], "spec.tls[].hosts[]"),
      (gatewayAPI, ["Gateway", "ListenerSet", "XListenerSet"], "spec.listeners[].hostname"),
      (gatewayAPI, ["HTTPRoute", "GRPCRoute", "TLSRoute"], "spec.hostnames[]"),
      (gatewayAPI, ["HTTPRoute"], "spec.rules[].filters[].requestRedirect.hostname"),
      (gatewayAPI, ["HTTPRoute"], "spec.rules[].filters[].urlRewrite.hostname"),
      (istio, ["VirtualService"], "spec.hosts[]"),
      (istio, ["VirtualService"], "spec.tls[].match[].sniHosts[]"),
      (istio, ["Gateway"], "spec.servers[].hosts[]"),
      (traefik, ["IngressRoute", "IngressRouteTCP"], "spec.routes[].match"),
      (traefik, ["IngressRoute", "IngressRouteTCP"], "spec.tls.domains[].main"),
      (traefik, ["IngressRoute", "IngressRouteTCP"], "spec.tls.domains[].sans[]"),
      (contour, ["HTTPProxy"], "spec.virtualhost.fqdn"),
      (openshift, ["Route"], "spec.host"),
      (certManager, ["Certificate"], "spec.dnsNames[]"),
      (certManager, ["Certificate"], "spec.commonName"),
      (certManager, ["Issuer", "ClusterIssuer"], "spec.acme.solvers[].selector.dnsNames[]"),
      (certManager, ["Issuer", "ClusterIssuer"], "spec.acme.solvers[].selector.dnsZones[]"),
      (emissary, ["Mapping", "Host"], "spec.hostname"),
      // The long tail, as their current schemas define the fields:
      // - external-dns `externaldns.k8s.io/v1alpha1` DNSEndpoint: the
      //   record's `dnsName` and, for CNAME records, its `targets[]`
      //   (external-dns docs, "CRD source").
      (externalDNS, ["DNSEndpoint"], "spec.endpoints[].dnsName"),
      (externalDNS, ["DNSEndpoint"], "spec.endpoints[].targets[]"),
      // - Istio `networking.istio.io` (istio.io reference, "Service Entry",
      //   "Destination Rule", "Virtual Service"): `ServiceEntry.hosts`,
      //   `DestinationRule.host`, a route destination's `host` (HTTP, TCP
      //   and TLS routes), `HTTPRedirect.authority`,
      //   `HTTPRewrite.authority`, the mirror `Destination.host`.
      (istio, ["ServiceEntry"], "spec.hosts[]"),
      (istio, ["DestinationRule"], "spec.host"),
      (istio, ["VirtualService"], "spec.http[].route[].destination.host"),
      (istio, ["VirtualService"], "spec.tcp[].route[].destination.host"),
      (istio, ["VirtualService"], "spec.tls[].route[].destination.host"),
      (istio, ["VirtualService"], "spec.http[].redirect.authority"),
      (istio, ["VirtualService"], "spec.http[].rewrite.authority"),
      (istio, ["VirtualService"], "spec.http[].mirror.host"),
      // - Contour `projectcontour.io/v1` HTTPProxy (projectcontour.io API
      //   reference): `routes[].requestRedirectPolicy.hostname`.
      (contour, ["HTTPProxy"], "spec.routes[].requestRedirectPolicy.hostname"),
      // - Gateway API BackendTLSPolicy (gateway-api `apis/v1`
      //   backendtlspolicy_types.go): the hostname the backend's
      //   certificate is checked for, `spec.validation.hostname`.
      (gatewayAPI, ["BackendTLSPolicy"], "spec.validation.hostname"),
      // - Emissary `getambassador.io/v2` Mapping: `spec.host` (the v2 name
      //   of `hostname`).
      (emissary, ["Mapping"], "spec.host"),
      // - Kubernetes `v1` Service of type ExternalName: `spec.externalName`,
      //   a DNS name the service resolves to (core/v1 types.go).
      (core, ["Service"], "spec.externalName"),
    ] + hostAnnotations.map { (anyGroup, anyKind, "metadata.annotations[\($0)]") })

  static let core = [""]
  static let apps = ["apps"]
  static let batch = ["batch"]
  static let externalSecrets = ["external-secrets.io"]

  /// Where each workload kind keeps its pod spec.
  static let podSpecs: [([String], [String], String)] = [
    (core, ["Pod"], "spec"),
    (core, ["PodTemplate"], "template.spec"),
    (core, ["ReplicationController"], "spec.template.spec"),
    (apps, ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"], "spec.template.spec"),
    (batch, ["Job"], "spec.template.spec"),
    (batch, ["CronJob"], "spec.jobTemplate.spec.template.spec"),
  ]

  /// Where a pod spec names Secrets (relative to the pod spec).
  static let podSecretNames =
    [
      "volumes[].secret.secretName",
      "volumes[].projected.sources[].secret.name",
      "imagePullSecrets[].name",
    ]
    + ["containers", "initContainers", "ephemeralContainers"].flatMap { containers in
      [
        "\(containers)[].env[].valueFrom.secretKeyRef.name",
        "\(containers)[].envFrom[].secretRef.name",
      ]
    }

  /// Fields holding Secret names, renamed with `secretNames: rename`: the
  /// Secret's own name, the producers that create it (cert-manager,
  /// external-secrets) and every reference krm-mirror knows of.
  ///
  /// Checked against the current schemas (2026-12):
  /// - Traefik `traefik.io/v1alpha1` (doc.traefik.io, routing configuration,
  ///   Kubernetes CRD, `tlsstore` and `tlsoption` pages): `TLSStore` serves
  ///   `spec.defaultCertificate.secretName` and `spec.certificates[].secretName`;
  ///   `TLSOption` names no serving certificate, only the Secrets holding
  ///   the CA bundles for client authentication, `spec.clientAuth.secretNames[]`.
  /// - Contour `projectcontour.io/v1` (projectcontour.io, "TLS Certificate
  ///   Delegation"): `TLSCertificateDelegation` lets other namespaces use
  ///   `spec.delegations[].secretName`.
  /// - external-secrets `external-secrets.io` (external-secrets.io, API
  ///   "ExternalSecret"): the Secret made is `spec.target.name` (default:
  ///   the ExternalSecret's own name), its type `spec.target.template.type`.
  public static let secretNames: [HostField] = table(
    [
      (ingress, ["Ingress"], "spec.tls[].secretName"),
      (certManager, ["Certificate"], "spec.secretName"),
      (istio, ["Gateway"], "spec.servers[].tls.credentialName"),
      (traefik, ["IngressRoute", "IngressRouteTCP"], "spec.tls.secretName"),
      (traefik, ["TLSStore"], "spec.defaultCertificate.secretName"),
      (traefik, ["TLSStore"], "spec.certificates[].secretName"),
      (traefik, ["TLSOption"], "spec.clientAuth.secretNames[]"),
      (contour, ["HTTPProxy"], "spec.virtualhost.tls.secretName"),
      (contour, ["TLSCertificateDelegation"], "spec.delegations[].secretName"),
      (externalSecrets, ["ExternalSecret"], "spec.target.name"),
      (externalSecrets, ["ClusterExternalSecret"], "spec.externalSecretSpec.target.name"),
      (core, ["Secret"], "metadata.name"),
    ]
      + podSpecs.flatMap { groups, kinds, spec in
        podSecretNames.map { (groups, kinds, spec + "." + $0) }
      })

  /// Object references (mappings with `name`, `kind`, `group`) that name a
  /// Secret when their `kind` is `Secret` or absent and their `group` is
  /// the core group (`""`) or absent: Gateway API `certificateRefs`.
  public static let secretReferences: [HostField] = table([
    (
      gatewayAPI, ["Gateway", "ListenerSet", "XListenerSet"],
      "spec.listeners[].tls.certificateRefs[]"
    )
  ])

  /// The built-in host fields that apply to a resource.
  public static func hostFields(apiVersion: String, kind: String) -> [HostField] {
    let group = HostField.group(of: apiVersion)
    let candidates = (hostsByKind[kind] ?? []) + anyKindHosts
    return candidates.filter { $0.applies(group: group, kind: kind) }
  }

  /// The host fields indexed by kind, and those for any kind: a lookup per
  /// resource instead of a scan of the table.
  static let hostsByKind: [String: [HostField]] = {
    var index: [String: [HostField]] = [:]
    for field in hosts { for kind in field.kinds { index[kind, default: []].append(field) } }
    return index
  }()
  static let anyKindHosts = hosts.filter(\.kinds.isEmpty)

  /// The secret-name fields that apply to a resource.
  public static func secretNameFields(apiVersion: String, kind: String) -> [HostField] {
    let group = HostField.group(of: apiVersion)
    return secretNames.filter { $0.applies(group: group, kind: kind) }
  }

  /// The Secret object references that apply to a resource.
  public static func secretReferenceFields(apiVersion: String, kind: String) -> [HostField] {
    let group = HostField.group(of: apiVersion)
    return secretReferences.filter { $0.applies(group: group, kind: kind) }
  }

  private static func table(_ lines: [([String], [String], String)]) -> [HostField] {
    // A malformed path would drop its line; the table test checks none is.
    lines.compactMap { groups, kinds, path in
      FieldPath(path).map { HostField(groups: groups, kinds: kinds, path: $0) }
    }
  }
}
