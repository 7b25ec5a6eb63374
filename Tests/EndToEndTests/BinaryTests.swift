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

  /// A stream of ConfigMaps without a matching host, `size` bytes exactly
  /// (a comment pads the last line).
  static func unmatchedStream(size: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = 0
    while bytes.count + 200 < size {
      bytes += Array(
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-\(index)\ndata:\n  url: https://c-\(index).example.org/\n"
          .utf8)
      index += 1
    }
    bytes += Array("# ".utf8)
    bytes += Array(repeating: UInt8(ascii: "x"), count: size - bytes.count - 1)
    bytes.append(0x0A)
    return bytes
  }

  @Test(
    "stdin as a pipe and as a regular file: every byte read once, at sizes around the 1 MiB read block",
    arguments: [(1 << 20) - 1, 1 << 20, (1 << 20) + 1, (3 << 20) + 5])
  func stdinPipeAndFile(size: Int) throws {
    let input = Self.unmatchedStream(size: size)
    #expect(input.count == size)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-stdin-\(getpid())-\(size).yaml")
    try Fixtures.write(input, to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let arguments = ["--from", "staging.example.com", "--to", "mirror.example.com"]
    let piped = try ProcessRunner.run(Self.binary, arguments, input: input)
    let fromFile = try ProcessRunner.run(Self.binary, arguments, inputFile: file)
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(fromFile.status == 0, "\(fromFile.stderr)")
    #expect(ByteDiff.describe(expected: input, actual: piped.stdout) == nil)
    #expect(ByteDiff.describe(expected: input, actual: fromFile.stdout) == nil)
  }

  @Test("a ResourceList over 1 MiB (the two-part path) reads the same from a pipe and a file")
  func largeListPipeAndFile() throws {
    var text = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
    var index = 0
    while text.utf8.count < (5 << 19) + 3 {
      text +=
        "- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n    name: w-\(index)\n  spec:\n    rules:\n    - host: w-\(index).staging.example.com\n"
      index += 1
    }
    text +=
      "functionConfig:\n  apiVersion: krm-mirror.dev/v1alpha1\n  kind: Mirror\n  metadata:\n    name: m\n  spec:\n    hosts:\n    - from: staging.example.com\n      to: mirror.example.com\n"
    let input = Array(text.utf8)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-list-\(getpid()).yaml")
    try Fixtures.write(input, to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let piped = try ProcessRunner.run(Self.binary, [], input: input)
    let fromFile = try ProcessRunner.run(Self.binary, [], inputFile: file)
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(fromFile.status == 0, "\(fromFile.stderr)")
    #expect(ByteDiff.describe(expected: piped.stdout, actual: fromFile.stdout) == nil)
    let output = String(decoding: fromFile.stdout, as: UTF8.self)
    #expect(output.contains("- host: w-\(index - 1).mirror.example.com\n"))
    #expect(!output.contains("    - host: w-0.staging.example.com\n"))
  }
}
