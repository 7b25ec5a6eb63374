import Mirror
import Testing

/// `secretNames: rename` renames Secrets of type `kubernetes.io/tls` only
/// (here with an Ingress whose host decides the name, listed first):
/// another Secret whose name embeds a source domain is someone else's
/// (a database password, a registry token) and keeps its name.
struct SecretTypeTests {
  static let invocation = Invocation(
    from: "staging.mycompany.com", to: "mirror.mycompany.com",
    settings: [("secret-names", "rename")])

  static let ingress =
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: www\nspec:\n  rules:\n  - host: www.staging.mycompany.com\n---\n"

  static func secret(type: String?) -> String {
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: www-staging-mycompany-com-tls\n"
      + (type.map { "type: \($0)\n" } ?? "")
  }

  static func run(_ text: String) -> Outcome {
    Runner(invocation: invocation, readFile: { _ in nil }).run(input: Array(text.utf8))
  }

  @Test("a kubernetes.io/tls Secret is renamed")
  func tlsSecretRenamed() {
    let outcome = Self.run(Self.ingress + Self.secret(type: "kubernetes.io/tls"))
    #expect(outcome.status == .success)
    let text = String(decoding: outcome.stdout, as: UTF8.self)
    #expect(text.contains("  name: www-mirror-mycompany-com-tls\n"), "\(text)")
  }

  @Test(
    "a Secret of another type, or of no type, keeps its name",
    arguments: ["Opaque", "kubernetes.io/dockerconfigjson", nil] as [String?])
  func otherSecretKept(type: String?) {
    let input = Self.secret(type: type)
    let outcome = Self.run(Self.ingress + input)
    #expect(outcome.status == .success)
    #expect(String(decoding: outcome.stdout, as: UTF8.self).hasSuffix("---\n" + input))
  }
}
