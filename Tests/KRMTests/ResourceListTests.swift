import KRM
import Testing
import YAMLSplice

/// Framing: which documents are ResourceLists, where their parts are, and
/// how results are written back in the list's own style.
struct ResourceListTests {
  static func list(_ yaml: String) throws -> ResourceList? {
    let document = try #require(try StreamParser.parse(Array(yaml.utf8)).first)
    return ResourceList(document)
  }

  @Test(
    "kind ResourceList with any apiVersion; kind List only when framed as a function input",
    arguments: [
      ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n", true),
      ("apiVersion: config.kubernetes.io/v1alpha1\nkind: ResourceList\n", true),
      ("apiVersion: v1\nkind: ResourceList\nitems: []\n", true),
      ("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [], \"functionConfig\": {}}", true),
      ("apiVersion: config.kubernetes.io/v1\nkind: List\nitems: []\n", true),
      // A user's list (kubectl get -o yaml / -o json) is a resource stream.
      ("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}", false),
      ("apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n", false),
      ("kind: ConfigMap\n", false),
      ("- kind: ResourceList\n", false),
      ("kind: [ResourceList]\n", false),
    ])
  func detection(yaml: String, isList: Bool) throws {
    #expect(try (Self.list(yaml) != nil) == isList)
  }

  @Test("functionConfig after items is found; a null one is absent")
  func functionConfig() throws {
    let list = try #require(
      try Self.list(
        "kind: ResourceList\nitems:\n- kind: A\n- kind: B\nfunctionConfig:\n  kind: ConfigMap\n"))
    #expect(list.items.count == 2)
    let config = try #require(list.functionConfig)
    #expect(list.document.string("kind", in: config) == "ConfigMap")
    #expect(
      try Self.list("kind: ResourceList\nitems: []\nfunctionConfig:\n")?.functionConfig == nil)
  }

  static let result = KRMResult(
    message: "rewrote host", severity: .info,
    resourceRef: .init(apiVersion: "v1", kind: "Service", name: "s", namespace: "ns"),
    field: .init(path: "spec.x", currentValue: "a", proposedValue: "b"),
    file: .init(path: "svc.yaml", index: 0))

  @Test("results follow the items' sequence indentation")
  func blockResults() throws {
    let yaml = "kind: ResourceList\nitems:\n  - kind: A\n"
    let list = try #require(try Self.list(yaml))
    let output = try Splicer.apply([list.resultsEdit([Self.result])], to: Array(yaml.utf8))
    let expected =
      yaml + """
        results:
          - message: rewrote host
            severity: info
            resourceRef:
              apiVersion: v1
              kind: Service
              name: s
              namespace: ns
            field:
              path: spec.x
              currentValue: a
              proposedValue: b
            file:
              path: svc.yaml
              index: 0

        """
    #expect(output == Array(expected.utf8))
  }

  @Test("JSON lists get JSON results")
  func jsonResults() throws {
    let yaml = "{\"kind\": \"ResourceList\", \"items\": []}"
    let list = try #require(try Self.list(yaml))
    let output = try Splicer.apply(
      [list.resultsEdit([KRMResult(message: "x \"q\"", severity: .warning)])], to: Array(yaml.utf8))
    #expect(
      String(decoding: output, as: UTF8.self)
        == "{\"kind\": \"ResourceList\", \"items\": [], \"results\": [{\"message\": \"x \\\"q\\\"\", \"severity\": \"warning\"}]}"
    )
  }

  @Test("an existing results value is replaced")
  func replaceResults() throws {
    let yaml =
      "kind: ResourceList\nitems: []\nresults:\n- message: old\n  severity: error\nfunctionConfig: {}\n"
    let list = try #require(try Self.list(yaml))
    let output = try Splicer.apply(
      [list.resultsEdit([KRMResult(message: "new", severity: .info)])], to: Array(yaml.utf8))
    #expect(
      String(decoding: output, as: UTF8.self)
        == "kind: ResourceList\nitems: []\nresults:\n- message: new\n  severity: info\nfunctionConfig: {}\n"
    )
  }

  @Test("result lines read like kpt's")
  func line() {
    #expect(Self.result.line == "[info] v1/Service/ns/s spec.x: rewrote host")
  }
}

/// What a mutator may touch.
struct ResourceItemTests {
  static func item(_ yaml: String) throws -> ResourceItem {
    let document = try #require(try StreamParser.parse(Array(yaml.utf8)).first)
    return ResourceItem(document: document, node: document.root)
  }

  @Test(
    "pass-through reasons",
    arguments: [
      ("kind: Ingress\n", nil),
      ("- a\n", "not a mapping"),
      ("resources: [a.yaml]\n", "no kind"),
      ("apiVersion: kpt.dev/v1\nkind: Kptfile\n", "Kptfile"),
      (
        "kind: X\nmetadata:\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\n",
        "local config"
      ),
      (
        "kind: X\nmetadata:\n  annotations:\n    config.kubernetes.io/local-config: \"false\"\n",
        nil
      ),
    ] as [(String, String?)])
  func passThrough(yaml: String, reason: String?) throws {
    #expect(try Self.item(yaml).passThroughReason == reason)
  }

  @Test("file comes from the internal annotations, else the legacy ones")
  func file() throws {
    let current = try Self.item(
      "kind: A\nmetadata:\n  annotations:\n    internal.config.kubernetes.io/path: a.yaml\n    internal.config.kubernetes.io/index: '2'\n    config.kubernetes.io/path: old.yaml\n"
    )
    #expect(current.file == KRMResult.File(path: "a.yaml", index: 2))
    let legacy = try Self.item(
      "kind: A\nmetadata: {annotations: {config.kubernetes.io/path: b.yaml}}\n")
    #expect(legacy.file == KRMResult.File(path: "b.yaml", index: nil))
    #expect(try Self.item("kind: A\n").file == nil)
  }
}
