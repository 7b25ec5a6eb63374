import Mirror
import Testing

/// The matching table of reference/hosts.md §5.1: real matches are found,
/// look-alikes are never touched.
struct HostMatcherTests {
  /// A valid mapping; should it ever be refused, every rewrite test fails.
  static let matcher = HostMatcher(
    [try? HostMapping(from: "staging.mycompany.com", to: "mirror.mycompany.com")]
      .compactMap { $0 })

  /// Applies the matcher's replacements to `value`.
  static func rewrite(_ value: String, with matcher: HostMatcher = matcher) -> String {
    let bytes = Array(value.utf8)
    var out: [UInt8] = []
    var position = 0
    for match in matcher.matches(in: bytes) {
      out += bytes[position..<match.range.lowerBound]
      out += matcher.replacement(for: match)
      position = match.range.upperBound
    }
    out += bytes[position...]
    return String(decoding: out, as: UTF8.self)
  }

  @Test(
    "rewritten forms",
    arguments: [
      ("staging.mycompany.com", "mirror.mycompany.com"),
      ("api.staging.mycompany.com", "api.mirror.mycompany.com"),
      ("*.staging.mycompany.com", "*.mirror.mycompany.com"),
      ("Staging.MyCompany.COM", "mirror.mycompany.com"),
      ("API.Staging.MyCompany.com", "API.mirror.mycompany.com"),
      ("api.staging.mycompany.com.", "api.mirror.mycompany.com."),
      ("api.staging.mycompany.com:8443", "api.mirror.mycompany.com:8443"),
      ("prod/api.staging.mycompany.com", "prod/api.mirror.mycompany.com"),
      ("*/*.staging.mycompany.com", "*/*.mirror.mycompany.com"),
      (
        "https://staging.mycompany.com/cb?next=https://staging.mycompany.com.evil.io/",
        "https://mirror.mycompany.com/cb?next=https://staging.mycompany.com.evil.io/"
      ),
      (
        "https%3A%2F%2Fapi.staging.mycompany.com%2Fcb",
        "https%3A%2F%2Fapi.mirror.mycompany.com%2Fcb"
      ),
      ("https%3A%2F%2Fstaging.mycompany.com%2Fcb", "https%3A%2F%2Fmirror.mycompany.com%2Fcb"),
      ("api.staging.mycompany.com%3A8443", "api.mirror.mycompany.com%3A8443"),
      ("x%2Eapi.staging.mycompany.com", "x%2Eapi.mirror.mycompany.com"),
      (
        "a.staging.mycompany.com, b.staging.mycompany.com",
        "a.mirror.mycompany.com, b.mirror.mycompany.com"
      ),
      (
        "Host(`a.staging.mycompany.com`) || Host(`b.example.com`)",
        "Host(`a.mirror.mycompany.com`) || Host(`b.example.com`)"
      ),
      ("alerts@staging.mycompany.com", "alerts@mirror.mycompany.com"),
      (
        "HostRegexp(`^.+\\.staging\\.mycompany\\.com$`)",
        "HostRegexp(`^.+\\.mirror\\.mycompany\\.com$`)"
      ),
      ("if ($host ~* \"staging\\.mycompany\\.com\")", "if ($host ~* \"mirror\\.mycompany\\.com\")"),
      ("api\\.staging\\.mycompany\\.com", "api\\.mirror\\.mycompany\\.com"),
      (".staging.mycompany.com", ".mirror.mycompany.com"),
    ])
  func rewrites(input: String, expected: String) {
    #expect(Self.rewrite(input) == expected)
  }

  @Test(
    "look-alikes and hosts already mirrored stay as they are",
    arguments: [
      "notstaging.mycompany.com",
      "x-staging.mycompany.com",
      "x_staging.mycompany.com",
      "staging.mycompany.com.evil.io",
      "staging.mycompany.community",
      "staging-mycompany.com",
      "mycompany.com",
      "staging.mycompany.co",
      "mirror.mycompany.com",
      "api.mirror.mycompany.com",
      "api-staging-mycompany-com-tls",
      "notstaging\\.mycompany\\.com",
      "staging\\.mycompany\\.com\\.evil\\.io",
      "api\\.mirror\\.mycompany\\.com",
      "staging%2Emycompany%2Ecom",
      // Percent-encoded look-alikes: the decoded host is not under the domain.
      "staging.mycompany.com%2Eevil.io",
      "https://api.staging.mycompany.com%2eevil.io/",
      "x%2Dstaging.mycompany.com",
      "staging.mycompany.com%2Dx",
      "x%41staging.mycompany.com",
      "",
    ])
  func untouched(input: String) {
    #expect(Self.matcher.matches(in: Array(input.utf8)).isEmpty)
  }

  @Test("the longest from wins when mappings overlap")
  func longestFrom() throws {
    let matcher = HostMatcher([
      try HostMapping(from: "mycompany.com", to: "mirror-root.example"),
      try HostMapping(from: "staging.mycompany.com", to: "mirror.example"),
    ])
    #expect(Self.rewrite("a.staging.mycompany.com", with: matcher) == "a.mirror.example")
    #expect(Self.rewrite("a.mycompany.com", with: matcher) == "a.mirror-root.example")
  }

  @Test("a to that ends with its from is idempotent")
  func toUnderFrom() throws {
    let matcher = HostMatcher([try HostMapping(from: "mycompany.com", to: "mirror.mycompany.com")])
    let once = Self.rewrite("app.mycompany.com", with: matcher)
    #expect(once == "app.mirror.mycompany.com")
    #expect(Self.rewrite(once, with: matcher) == once)
    #expect(Self.rewrite("mirror.mycompany.com", with: matcher) == "mirror.mycompany.com")
  }

  @Test("a to that is a parent of its from still rewrites")
  func toAboveFrom() throws {
    let matcher = HostMatcher([try HostMapping(from: "staging.mycompany.com", to: "mycompany.com")])
    #expect(Self.rewrite("api.staging.mycompany.com", with: matcher) == "api.mycompany.com")
    #expect(Self.rewrite("api.mycompany.com", with: matcher) == "api.mycompany.com")
  }

  @Test(
    "invalid domains are refused",
    arguments: ["", "com", "a..b", "-a.com", "a-.com", "a b.com", "*.a.com", "a.com/x", "ünï.com"])
  func invalidDomains(domain: String) {
    #expect(throws: DomainError.self) { try HostMapping(from: domain, to: "mirror.example.com") }
  }

  @Test("from and to must differ, ignoring case and a trailing dot")
  func sameDomain() {
    #expect(throws: DomainError.self) {
      try HostMapping(from: "Staging.Example.com.", to: "staging.example.com")
    }
  }
}

/// The built-in field table: every line parsed, the contract's kinds present.
struct HostFieldTableTests {
  @Test("every line of the table is a valid path")
  func tableParses() {
    // 19 kind lines + 15 annotations; 12 secret-name lines plus 9 paths in
    // each of 6 pod-spec places; 1 secret reference line.
    #expect(HostFieldTable.hosts.count == 48)
    #expect(HostFieldTable.secretNames.count == 12 + 9 * 6)
    #expect(HostFieldTable.secretReferences.count == 1)
  }

  @Test(
    "fields per kind",
    arguments: [
      ("networking.k8s.io/v1", "Ingress", "spec.rules[].host"),
      ("extensions/v1beta1", "Ingress", "spec.tls[].hosts[]"),
      ("gateway.networking.k8s.io/v1", "Gateway", "spec.listeners[].hostname"),
      ("gateway.networking.k8s.io/v1", "HTTPRoute", "spec.rules[].filters[].urlRewrite.hostname"),
      ("networking.istio.io/v1", "Gateway", "spec.servers[].hosts[]"),
      ("traefik.io/v1alpha1", "IngressRouteTCP", "spec.routes[].match"),
      ("projectcontour.io/v1", "HTTPProxy", "spec.virtualhost.fqdn"),
      ("route.openshift.io/v1", "Route", "spec.host"),
      ("cert-manager.io/v1", "ClusterIssuer", "spec.acme.solvers[].selector.dnsZones[]"),
      ("getambassador.io/v3alpha1", "Host", "spec.hostname"),
      ("v1", "Service", "metadata.annotations[external-dns.kubernetes.io/hostname]"),
    ])
  func fieldsPerKind(apiVersion: String, kind: String, path: String) {
    let paths = HostFieldTable.hostFields(apiVersion: apiVersion, kind: kind).map(
      \.path.description)
    #expect(paths.contains(path))
  }

  @Test("Gateway API and Istio Gateways are told apart by group")
  func gatewayGroups() {
    let istio = HostFieldTable.hostFields(apiVersion: "networking.istio.io/v1", kind: "Gateway")
    #expect(!istio.map(\.path.description).contains("spec.listeners[].hostname"))
  }
}
