import Foundation
import TestSupport
import Testing

/// The built `krm-mirror` binary as users and orchestrators call it.
struct BinaryTests {
  static let binary = ProcessRunner.krmMirror

  @Test("--help exits 0 with usage on stdout (kpt fn doc runs it)")
  func help() throws {
    let result = try ProcessRunner.run(Self.binary, ["--help"], input: [])
    #expect(result.status == 0)
    let text = String(decoding: result.stdout, as: UTF8.self)
    #expect(text.contains("USAGE: krm-mirror"))
    #expect(text.contains("--from"))
  }

  @Test("--version prints the version")
  func version() throws {
    let result = try ProcessRunner.run(Self.binary, ["--version"])
    #expect(result.status == 0)
    #expect(String(decoding: result.stdout, as: UTF8.self) == "0.1.0\n")
  }

  @Test(
    "usage errors exit 2 with nothing on stdout",
    arguments: [
      ["--unknown-flag"], ["--from", "staging.example.com"], [],
      ["--from", "a.example.com", "--to", "a.example.com"],
      ["/nonexistent/plugin-config"],
      ["--from", "a.example.com", "--from", "b.example.com", "--to", "c.example.com"],
      ["--verbose=yes"], ["--from"], ["-x"], ["one.yaml", "two.yaml"],
    ])
  func usage(arguments: [String]) throws {
    let input = Array("kind: ConfigMap\nmetadata: {name: x}\n".utf8)
    let result = try ProcessRunner.run(Self.binary, arguments, input: input)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(!result.stderr.isEmpty)
  }

  @Test("--name=value and --name value are the same; -- ends the options")
  func optionForms() throws {
    let input = Array(
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: w\nspec:\n  rules:\n  - host: w.staging.example.com\n"
        .utf8)
    let spaced = try ProcessRunner.run(
      Self.binary, ["--from", "staging.example.com", "--to", "mirror.example.com"], input: input)
    let joined = try ProcessRunner.run(
      Self.binary, ["--from=staging.example.com", "--to=mirror.example.com", "--"], input: input)
    #expect(spaced.status == 0, "\(spaced.stderr)")
    #expect(joined.status == 0, "\(joined.stderr)")
    #expect(spaced.stdout == joined.stdout)
    #expect(String(decoding: joined.stdout, as: UTF8.self).contains("host: w.mirror.example.com"))
  }

  @Test("malformed input: exit 1, empty stdout, positioned message")
  func malformed() throws {
    let input = Array("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"unterminated\n".utf8)
    let result = try ProcessRunner.run(
      Self.binary, ["--from", "a.example.com", "--to", "b.example.com"], input: input)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("stdin:5:1: error: found unexpected end of stream"))
  }

  @Test("a ResourceList with an error result exits 1 and still writes the list")
  func errorResult() throws {
    let input = Array(
      "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: function-input}, data: {}}\n"
        .utf8)
    let result = try ProcessRunner.run(Self.binary, [], input: input)
    #expect(result.status == 1)
    #expect(String(decoding: result.stdout, as: UTF8.self).contains("severity: error"))
  }

  @Test("the kustomize legacy exec plugin form: config file as argument, YAML stream in and out")
  func legacyPlugin() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-plugin-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = folder.appendingPathComponent("kust-plugin-config-1")
    try Fixtures.write(
      Array(
        "apiVersion: krm-mirror.dev/v1alpha1\nkind: Mirror\nmetadata:\n  name: m\nspec:\n  hosts:\n  - from: staging.example.com\n    to: mirror.example.com\n"
          .utf8), to: config)
    let input = Array(
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: w\nspec:\n  rules:\n  - host: w.staging.example.com\n"
        .utf8)
    let result = try ProcessRunner.run(Self.binary, [config.path], input: input)
    #expect(result.status == 0, "\(result.stderr)")
    let text = String(decoding: result.stdout, as: UTF8.self)
    #expect(text.hasSuffix("  - host: w.mirror.example.com\n"))
    #expect(text.contains("krm-mirror.dev/host-map: staging.example.com=mirror.example.com"))
  }

  @Test("a file argument that is not a krm-mirror config is a usage error")
  func foreignFile() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "not-mirror-\(getpid()).yaml")
    try Fixtures.write(Array("apiVersion: v1\nkind: ConfigMap\n".utf8), to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try ProcessRunner.run(Self.binary, [file.path], input: [])
    #expect(result.status == 2)
    #expect(result.stderr.contains("is not a krm-mirror configuration"))
  }
}
