import Foundation
import KRM
import MirrorProperties
import Testing

@testable import Mirror

/// The secret renaming rule (`secretNames: rename`): which names change,
/// and that a render decides every name the same way wherever it appears,
/// whatever the order of the resources.
struct SecretRenameTests {
  static let matcher = SecretNameMatcher(
    [try? HostMapping(from: "staging.mycompany.com", to: "mirror.mycompany.com")].compactMap { $0 })

  static func renamed(_ name: String, _ knowledge: SecretRenames) -> String? {
    knowledge.renamed(Array(name.utf8), matcher).map { String(decoding: $0, as: UTF8.self) }
  }

  static func knowing(hosts: [String], domain: Bool = true) -> SecretRenames {
    var knowledge = SecretRenames()
    for host in hosts { knowledge.addRewrittenHost(Array(host.utf8)) }
    if domain { knowledge.addRewrittenDomain("staging.mycompany.com") }
    return knowledge
  }

  @Test("a dashed name is renamed only for a host this render rewrote, not for a look-alike")
  func lookAlike() {
    let knowledge = Self.knowing(hosts: ["www.staging.mycompany.com"])
    // api-staging.mycompany.com is not under the source domain: kept.
    #expect(Self.renamed("api-staging-mycompany-com-tls", knowledge) == nil)
    #expect(
      Self.renamed("www-staging-mycompany-com-tls", knowledge) == "www-mirror-mycompany-com-tls")
    #expect(
      Self.renamed(
        "api-staging-mycompany-com-tls", Self.knowing(hosts: ["API.staging.mycompany.com."]))
        == "api-mirror-mycompany-com-tls")
  }

  @Test("the source domain itself counts at the name's start, and through a wildcard anywhere")
  func domainAndWildcard() {
    let knowledge = Self.knowing(hosts: ["www.staging.mycompany.com"])
    #expect(Self.renamed("staging-mycompany-com-tls", knowledge) == "mirror-mycompany-com-tls")
    #expect(Self.renamed("staging.mycompany.com-api", knowledge) == "mirror.mycompany.com-api")
    // Nothing under the domain rewritten: nothing renamed.
    #expect(Self.renamed("staging-mycompany-com-tls", SecretRenames()) == nil)
    let wildcard = Self.knowing(hosts: ["*.staging.mycompany.com"], domain: false)
    #expect(
      Self.renamed("wildcard-staging-mycompany-com", wildcard) == "wildcard-mirror-mycompany-com")
  }

  @Test("a Secret that is not kubernetes.io/tls keeps its name, so references to it do")
  func keptType() {
    var knowledge = Self.knowing(hosts: ["api.staging.mycompany.com"])
    #expect(Self.renamed("auth-api-staging-mycompany-com", knowledge) != nil)
    knowledge.keep(Array("auth-api-staging-mycompany-com".utf8))
    #expect(Self.renamed("auth-api-staging-mycompany-com", knowledge) == nil)
  }

  @Test("an answer that the rest of the input overturns asks for another pass")
  func anotherPass() {
    let name = Array("api-staging-mycompany-com-tls".utf8)
    var early = SecretRenames()
    #expect(early.decide(name, holder: { "Deployment/api" }, Self.matcher) == nil)
    #expect(!early.needsAnotherPass(Self.matcher))
    early.addRewrittenHost(Array("api.staging.mycompany.com".utf8))
    #expect(early.needsAnotherPass(Self.matcher))
    var final = SecretRenames()
    final.adopt(early)
    #expect(!final.needsAnotherPass(Self.matcher))
    #expect(final.decide(name, holder: { "Deployment/api" }, Self.matcher) != nil)
    // The other way round: renamed first, then a Secret of another type.
    var renamedFirst = Self.knowing(hosts: ["api.staging.mycompany.com"])
    #expect(renamedFirst.decide(name, holder: { "Ingress/api" }, Self.matcher) != nil)
    renamedFirst.keep(name)
    #expect(renamedFirst.needsAnotherPass(Self.matcher))
  }

  static let referenceFirst = Array(
    """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api}
    spec:
      template:
        spec:
          volumes: [{name: tls, secret: {secretName: api-staging-mycompany-com-tls}}]
    ---
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: api}
    spec:
      tls: [{hosts: [api.staging.mycompany.com], secretName: api-staging-mycompany-com-tls}]

    """.utf8)

  static func runStream(_ input: [UInt8], holdLimit: Int) -> Outcome {
    var runner = Runner(
      invocation: Invocation(
        from: "staging.mycompany.com", to: "mirror.mycompany.com",
        settings: [("secret-names", "rename")]),
      readFile: { _ in nil })
    runner.holdLimit = holdLimit
    return runner.run(input: input)
  }

  @Test("a stream decides a reference that comes before its host again, while its output is held")
  func streamSecondPass() {
    let outcome = Self.runStream(Self.referenceFirst, holdLimit: 16 << 20)
    #expect(outcome.status == .success)
    let text = String(decoding: outcome.stdout, as: UTF8.self)
    #expect(text.components(separatedBy: "api-mirror-mycompany-com-tls").count == 3, "\(text)")
    #expect(!text.contains("api-staging-mycompany-com-tls"))
  }

  @Test("a stream decides again the parts it still holds after writing earlier ones")
  func streamSecondPassAfterWriting() {
    let filler = Array(
      ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: filler}\ndata:\n"
        + (0..<20).map { "  key\($0): \(String(repeating: "x", count: 30))\n" }.joined()
        + "---\n").utf8)
    let input = filler + Self.referenceFirst
    var runner = Runner(
      invocation: Invocation(
        from: "staging.mycompany.com", to: "mirror.mycompany.com",
        settings: [("secret-names", "rename")]),
      readFile: { _ in nil })
    let whole = runner.run(input: input)
    #expect(whole.status == .success)
    // The filler alone passes the hold limit and is written at once; the
    // Deployment and the Ingress stay held.
    runner.holdLimit = filler.count - 10
    #expect(Self.referenceFirst.count < runner.holdLimit)
    let outcome = MirrorProperties.runInBlocks(input, runner: runner, blockSize: 32)
    #expect(outcome.status == .success, "\(outcome.stderr)")
    #expect(outcome.stdout == whole.stdout)
    #expect(String(decoding: outcome.stdout, as: UTF8.self).contains("secretName: api-mirror"))
  }

  @Test(
    "an ExternalSecret that does not declare a TLS Secret (or names none) keeps the name, and so do its references",
    arguments: [
      "{name: api-staging-mycompany-com-tls}",
      "{name: api-staging-mycompany-com-tls, template: {type: Opaque}}",
      "{template: {type: kubernetes.io/tls}}",
    ])
  func externalSecretType(target: String) {
    let input = Array(
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: api}
      spec:
        tls: [{hosts: [api.staging.mycompany.com], secretName: api-staging-mycompany-com-tls}]
      ---
      apiVersion: external-secrets.io/v1
      kind: ExternalSecret
      metadata: {name: api-staging-mycompany-com-tls}
      spec:
        target: \(target)

      """.utf8)
    let outcome = Self.runStream(input, holdLimit: 16 << 20)
    #expect(outcome.status == .success, "\(outcome.stderr)")
    let text = String(decoding: outcome.stdout, as: UTF8.self)
    #expect(!text.contains("api-mirror-mycompany-com-tls"), "\(text)")
    #expect(text.contains("api.mirror.mycompany.com"))
  }

  @Test("a stream whose output was already written cannot decide again: an error says so")
  func streamTooLargeToDecideAgain() {
    var runner = Runner(
      invocation: Invocation(
        from: "staging.mycompany.com", to: "mirror.mycompany.com",
        settings: [("secret-names", "rename")]),
      readFile: { _ in nil })
    runner.holdLimit = 0
    let outcome = MirrorProperties.runInBlocks(Self.referenceFirst, runner: runner, blockSize: 16)
    #expect(outcome.status == .failure)
    #expect(outcome.stderr.contains("decided before the host that decides it"), "\(outcome.stderr)")
  }
}

/// Resources the selectors leave out do not change: a Secret there keeps
/// its name everywhere, and a reference there to a renamed Secret is an
/// error.
struct SecretRenameSelectorTests {
  static func list(excluding kinds: [String]) -> [UInt8] {
    Array(
      """
      apiVersion: config.kubernetes.io/v1
      kind: ResourceList
      items:
      - apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec:
          template:
            spec:
              volumes: [{name: tls, secret: {secretName: api-staging-mycompany-com-tls}}]
      - apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: api}
        spec:
          tls: [{hosts: [api.staging.mycompany.com], secretName: api-staging-mycompany-com-tls}]
      - apiVersion: v1
        kind: Secret
        metadata: {name: api-staging-mycompany-com-tls}
        type: kubernetes.io/tls
      functionConfig:
        apiVersion: krm-mirror.dev/v1alpha1
        kind: Mirror
        metadata: {name: m}
        spec:
          hosts: [{from: staging.mycompany.com, to: mirror.mycompany.com}]
          tls: {secretNames: rename}
          exclude: [\(kinds.map { "{kind: \($0)}" }.joined(separator: ", "))]

      """.utf8)
  }

  static func run(_ input: [UInt8]) -> Outcome {
    Runner(invocation: Invocation(), readFile: { _ in nil }).run(input: input)
  }

  @Test("an excluded Secret keeps its name, and so does every reference to it")
  func excludedSecret() {
    let outcome = Self.run(Self.list(excluding: ["Secret", "Deployment"]))
    #expect(outcome.status == .success, "\(outcome.stderr)")
    let text = String(decoding: outcome.stdout, as: UTF8.self)
    #expect(!text.contains("api-mirror-mycompany-com-tls"), "\(text)")
    #expect(text.contains("api.mirror.mycompany.com"))
  }

  @Test("a reference in an excluded resource to a renamed Secret is an error naming both")
  func excludedReference() {
    let outcome = Self.run(Self.list(excluding: ["Deployment"]))
    #expect(outcome.status == .failure)
    #expect(
      outcome.stderr.contains("apps/v1/Deployment/api")
        && outcome.stderr.contains("in Ingress/api")
        && outcome.stderr.contains("in a resource the selectors leave out"),
      "\(outcome.stderr)")
  }
}
