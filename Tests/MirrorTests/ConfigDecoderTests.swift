import KRM
import Mirror
import Testing
import YAMLSplice

/// Strict configuration decoding: every error names its field and line.
struct ConfigDecoderTests {
  static func decode(_ yaml: String) -> Result<MirrorConfig?, ConfigErrors> {
    guard let document = try? StreamParser.parse(Array(yaml.utf8)).first else {
      return .failure(ConfigErrors([]))
    }
    var decoder = ConfigDecoder(document: document)
    do {
      return .success(try decoder.decode(document.root))
    } catch {
      return .failure(error)
    }
  }

  static let header = "apiVersion: krm-mirror.dev/v1alpha1\nkind: Mirror\nmetadata: {name: m}\n"
  static let hosts = "  hosts: [{from: staging.example.com, to: mirror.example.com}]\n"

  @Test(
    "errors name the field",
    arguments: [
      (header + "spec:\n" + hosts + "  colour: blue\n", "spec.colour", 6),
      (header + "spec:\n  hosts: []\n", "spec.hosts", 5),
      (header + "spec:\n  hosts: {from: a.example.com}\n", "spec.hosts", 5),
      (
        header + "spec:\n  hosts:\n  - {from: a.example.com, to: a.example.com}\n",
        "spec.hosts[0].to", 6
      ),
      (
        header + "spec:\n  hosts:\n  - {from: a.example.com, to: 'not a domain'}\n",
        "spec.hosts[0].to", 6
      ),
      (header + "spec:\n  hosts:\n  - {from: a.example.com}\n", "spec.hosts[0]", 6),
      (header + "spec:\n" + hosts + "  leaks: loud\n", "spec.leaks", 6),
      (header + "spec:\n" + hosts + "  text: yes please\n", "spec.text", 6),
      (header + "spec:\n" + hosts + "  tls: {secretNames: drop}\n", "spec.tls.secretNames", 6),
      (
        header + "spec:\n" + hosts + "  tls: {clusterIssuer: Not_Valid}\n",
        "spec.tls.clusterIssuer", 6
      ),
      (
        header + "spec:\n" + hosts + "  tls: {coverRuleHosts: \"true\"}\n",
        "spec.tls.coverRuleHosts", 6
      ),
      (
        header + "spec:\n" + hosts + "  tag: {labels: {env: 'not valid!'}}\n",
        "spec.tag.labels[env]", 6
      ),
      (header + "spec:\n" + hosts + "  tag: {scope: everything}\n", "spec.tag.scope", 6),
      (header + "spec:\n" + hosts + "  fields: [{path: 'spec.[bad'}]\n", "spec.fields[0].path", 6),
      (header + "spec:\n" + hosts + "  fields: [{path: status.host}]\n", "spec.fields[0].path", 6),
      (
        header + "spec:\n" + hosts + "  fields:\n  - path: spec.containers[name=web].env\n",
        "spec.fields[0].path", 7
      ),
      (
        header + "spec:\n" + hosts + "  fields: [{path: 'spec.*.host'}]\n", "spec.fields[0].path", 6
      ),
      (
        header + "spec:\n" + hosts + "  fields: [{path: 'spec.rules[-1].host'}]\n",
        "spec.fields[0].path", 6
      ),
      (
        header + "spec:\n" + hosts + "  fields: [{path: spec.x, format: blob}]\n",
        "spec.fields[0].format", 6
      ),
      (header + "spec:\n" + hosts + "  selectors: [{}]\n", "spec.selectors[0]", 6),
      (header + "spec:\n" + hosts + "  exclude: [{kindd: Secret}]\n", "spec.exclude[0].kindd", 6),
      (header + "spek: {}\n", "spek", 4),
      (
        "apiVersion: krm-mirror.dev/v1alpha1\nkind: ReplaceHosts\nspec:\n" + hosts
          + "  leaks: warn\n", "spec.leaks", 5
      ),
      ("apiVersion: krm-mirror.dev/v1alpha1\nkind: Mirrors\nspec: {}\n", "kind", 2),
      ("kind: ConfigMap\ndata:\n  from: a.example.com\n", "data.to", 3),
      (
        "kind: ConfigMap\ndata:\n  from: a.example.com\n  to: b.example.com\n  color: red\n",
        "data.color", 5
      ),
      ("kind: ConfigMap\ndata:\n  hosts: a.example.com\n", "data.hosts", 3),
      (
        "kind: ConfigMap\ndata:\n  hosts: a.example.com=b.example.com\n  text: maybe\n",
        "data.text", 4
      ),
    ])
  func namedErrors(yaml: String, field: String, line: Int) {
    guard case .failure(let errors) = Self.decode(yaml) else {
      Issue.record("accepted: \(yaml)")
      return
    }
    #expect(errors.errors.contains { $0.field == field && $0.line == line }, "\(errors.errors)")
  }

  @Test("the full Mirror spec decodes with its defaults and values")
  func fullMirror() throws {
    let yaml =
      Self.header + """
        spec:
          hosts:
          - from: Staging.Example.com.
            to: mirror.example.com
          tls: {coverRuleHosts: false, secretNames: rename, clusterIssuer: letsencrypt-staging}
          tag:
            provenance: false
            annotations: {example.com/purpose: pentest}
            labels: {environment: mirror}
            scope: all
          text: true
          fields: [{apiVersion: example.com/v1, kind: Portal, path: spec.url, format: url}]
          leaks: error
          selectors: [{kind: Ingress, labels: {app: web}}]
          exclude: [{namespace: legacy}]

        """
    guard case .success(let decoded) = Self.decode(yaml), let config = decoded else {
      Issue.record("rejected: \(Self.decode(yaml))")
      return
    }
    #expect(
      config.hosts == [try HostMapping(from: "staging.example.com", to: "mirror.example.com")])
    #expect(config.steps == .all)
    #expect(!config.coverRuleHosts)
    #expect(config.secretNames == .rename)
    #expect(config.clusterIssuer == "letsencrypt-staging")
    #expect(!config.provenance)
    #expect(config.tagAnnotations.map { "\($0)=\($1)" } == ["example.com/purpose=pentest"])
    #expect(config.tagLabels.map { "\($0)=\($1)" } == ["environment=mirror"])
    #expect(config.tagScope == .all)
    #expect(config.text)
    #expect(config.fields.first?.path.description == "spec.url")
    #expect(config.leaks == .error)
    #expect(config.selectors == [ResourceSelector(kind: "Ingress", labels: ["app": "web"])])
    #expect(config.exclude == [ResourceSelector(namespace: "legacy")])
  }

  @Test("an empty function-input ConfigMap means no configuration")
  func emptyFunctionInput() {
    for yaml in [
      "kind: ConfigMap\nmetadata: {name: function-input}\ndata: {}\n",
      "kind: ConfigMap\nmetadata: {name: function-input}\n",
    ] {
      guard case .success(let config) = Self.decode(yaml) else {
        Issue.record("rejected \(yaml)")
        continue
      }
      #expect(config == nil)
    }
  }

  @Test("the single-purpose kinds run their own step; CheckHosts defaults to leaks: error")
  func kinds() throws {
    let expected: [(String, MirrorConfig.Steps)] = [
      ("ReplaceHosts", .replaceHosts), ("SyncTLS", .syncTLS), ("TagMirror", .tag),
      ("CheckHosts", .checkLeaks), ("Mirror", .all),
    ]
    for (kind, steps) in expected {
      let yaml = "apiVersion: krm-mirror.dev/v1alpha1\nkind: \(kind)\nspec:\n" + Self.hosts
      guard case .success(let config?) = Self.decode(yaml) else {
        Issue.record("\(kind) rejected")
        continue
      }
      #expect(config.steps == steps, "\(kind)")
      #expect(config.leaks == (kind == "CheckHosts" ? .error : .warn), "\(kind)")
    }
  }
}
