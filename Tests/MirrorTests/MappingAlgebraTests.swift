import Mirror
import Testing
import YAMLSplice

/// Several mappings together: the sets that cannot be idempotent (or leave
/// a mapping that never applies) are refused naming both mappings, at the
/// later one's field and line; the others rewrite in one pass that a
/// second run does not change.
struct MappingAlgebraTests {
  static func decode(_ hosts: [(String, String)]) -> Result<MirrorConfig?, ConfigErrors> {
    var yaml = "apiVersion: krm-mirror.dev/v1alpha1\nkind: Mirror\nmetadata: {name: m}\nspec:\n"
    yaml += "  hosts:\n"
    for (from, to) in hosts { yaml += "  - {from: \(from), to: \(to)}\n" }
    return ConfigDecoderTests.decode(yaml)
  }

  @Test(
    "refused: two targets, a swap, a chain, a source under another's target",
    arguments: [
      [("a.com", "b.com"), ("a.com", "c.com")],
      [("a.com", "b.com"), ("b.com", "a.com")],
      [("a.com", "b.com"), ("b.com", "c.com")],
      [("b.com", "c.com"), ("a.com", "b.com")],
      [("a.com", "y.a.com"), ("x.y.a.com", "b.com")],
      [("x.y.a.com", "b.com"), ("a.com", "y.a.com")],
      [("a.com", "b.com"), ("x.b.com", "c.com")],
      [("staging.x.com", "m.com"), ("dev.x.com", "x.com")],
      [("a.com", "b.com"), ("b.com", "c.com"), ("c.com", "a.com")],
    ])
  func refused(hosts: [(String, String)]) {
    guard case .failure(let errors) = Self.decode(hosts) else {
      Issue.record("accepted: \(hosts)")
      return
    }
    let error = errors.errors.first
    // A three-cycle has two chains; the first is reported at the second mapping.
    #expect(errors.errors.count == (hosts.count == 2 ? 1 : 2), "\(errors.errors)")
    #expect(error?.field == "spec.hosts[1]")
    #expect(error?.line == 7)
    let pairs = hosts.prefix(2).map { "\($0.0)=\($0.1)" }
    #expect(
      pairs.allSatisfy { error?.message.contains($0) ?? false }, "\(error?.message ?? "")")
  }

  @Test(
    "accepted: overlapping sources, a target under its own or another source, shared targets",
    arguments: [
      [("x.com", "mirror.x.com")],
      [("staging.x.com", "x.com")],
      [("a.com", "m.b.com"), ("b.com", "c.com")],
      [("x.com", "root.example"), ("staging.x.com", "mirror.example")],
      [("a.com", "m.com"), ("b.com", "m.com")],
      [("a.com", "m.com"), ("b.com", "x.m.com")],
    ])
  func accepted(hosts: [(String, String)]) throws {
    guard case .success(let config?) = Self.decode(hosts) else {
      Issue.record("refused: \(Self.decode(hosts))")
      return
    }
    #expect(config.hosts.count == hosts.count)
  }

  @Test("the same mapping twice is used once")
  func repeated() throws {
    guard case .success(let config?) = Self.decode([("a.com", "b.com"), ("A.com.", "b.com")])
    else {
      Issue.record("refused")
      return
    }
    #expect(config.hosts == [try HostMapping(from: "a.com", to: "b.com")])
  }

  @Test("a conflict in data.hosts or between flags is named there")
  func configMapAndFlags() {
    let yaml = "kind: ConfigMap\ndata:\n  from: a.com\n  to: b.com\n  hosts: b.com=c.com\n"
    guard let document = try? StreamParser.parse(Array(yaml.utf8)).first else {
      Issue.record("unparsed")
      return
    }
    var decoder = ConfigDecoder(document: document)
    #expect(throws: ConfigErrors.self) { try decoder.decode(document.root) }
    let outcome = Runner(
      invocation: Invocation(hostPairs: ["a.com=b.com", "b.com=a.com"]), readFile: { _ in nil }
    ).run(input: Array("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n".utf8))
    #expect(outcome.status == .usage)
    #expect(outcome.stdout.isEmpty)
    #expect(outcome.stderr.contains("--host: a.com=b.com and b.com=a.com"), "\(outcome.stderr)")
  }

  /// Every accepted set: a second pass over what the first wrote changes
  /// nothing, for hosts at, under and around every from and to.
  @Test(
    "one pass is idempotent for every accepted set",
    arguments: [
      [("x.com", "mirror.x.com")],
      [("staging.x.com", "x.com")],
      [("old.new.example", "new.example")],
      [("a.com", "m.b.com"), ("b.com", "c.com")],
      [("x.com", "root.example"), ("staging.x.com", "mirror.example")],
    ])
  func idempotent(hosts: [(String, String)]) throws {
    let mappings = try hosts.map { try HostMapping(from: $0.0, to: $0.1) }
    let matcher = HostMatcher(mappings)
    var samples: [String] = []
    for mapping in mappings {
      for domain in [mapping.from, mapping.to] {
        let first = domain.split(separator: ".").first.map(String.init) ?? ""
        samples += [
          domain, "a.\(domain)", "\(first).\(domain)", "a.\(first).\(first).\(domain)",
          "\(first).\(first).\(first).\(domain)",
        ]
      }
    }
    for sample in samples {
      let once = HostMatcherTests.rewrite(sample, with: matcher)
      #expect(HostMatcherTests.rewrite(once, with: matcher) == once, "\(sample) → \(once)")
    }
    if hosts.count == 1 && hosts[0].0 == "staging.x.com" {
      #expect(HostMatcherTests.rewrite("a.staging.staging.x.com", with: matcher) == "a.x.com")
      #expect(HostMatcherTests.rewrite("staging.Staging.x.com", with: matcher) == "x.com")
    }
  }
}
