import Foundation
import TestSupport
import Testing

/// Seeing a run before applying it (`--diff`, `--summary`, `--results`),
/// and error messages a user can act on, through the built binary.
struct ReviewTests {
  static let binary = ProcessRunner.krmMirror
  static let seed = Fixtures.packageRoot().appendingPathComponent("examples/seed/ingress.yaml")
  static let mapping = ["--from", "staging.mycompany.com", "--to", "mirror.mycompany.com"]

  static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  @Test("--diff prints a unified diff per resource instead of the output")
  func diff() throws {
    let result = try ProcessRunner.run(Self.binary, Self.mapping + ["--diff"], inputFile: Self.seed)
    #expect(result.status == 0, "\(result.stderr)")
    let diff = Self.text(result.stdout)
    #expect(diff.hasPrefix("--- a/Ingress/shop/web\n+++ b/Ingress/shop/web\n@@ -"))
    #expect(
      diff.contains(
        "\n-  - host: shop.staging.mycompany.com\n+  - host: shop.mirror.mycompany.com\n"))
    // The Service is not changed: no header for it.
    #expect(!diff.contains("Service/"))
    // Every line of a hunk is context, a deletion or an insertion.
    for line in diff.split(separator: "\n") {
      #expect(["-", "+", " ", "@"].contains(line.first.map(String.init) ?? ""), "\(line)")
    }
  }

  @Test("--diff matches diff -u of the input and the output, line for line")
  func diffAgreesWithDiffU() throws {
    guard let diffTool = ProcessRunner.which("diff") else { return }
    let plain = try ProcessRunner.run(Self.binary, Self.mapping, inputFile: Self.seed)
    let review = try ProcessRunner.run(
      Self.binary, Self.mapping + ["--diff"], inputFile: Self.seed)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-diff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("out.yaml")
    try Fixtures.write(plain.stdout, to: output)
    let expected = try ProcessRunner.run(diffTool, ["-u", Self.seed.path, output.path])
    // Same hunks; only the two header lines differ.
    let hunks = { (text: String) in text.split(separator: "\n").drop { !$0.hasPrefix("@@") } }
    #expect(Array(hunks(Self.text(review.stdout))) == Array(hunks(Self.text(expected.stdout))))
  }

  @Test("--diff --exit-code: 1 when something changes, 0 when nothing does, 2 when the run fails")
  func exitCode() throws {
    let changed = try ProcessRunner.run(
      Self.binary, Self.mapping + ["--diff", "--exit-code"], inputFile: Self.seed)
    #expect(changed.status == 1)
    let unchanged = try ProcessRunner.run(
      Self.binary,
      ["--from", "nothing.example", "--to", "mirror.example", "--diff", "--exit-code"],
      inputFile: Self.seed)
    #expect(unchanged.status == 0)
    #expect(unchanged.stdout.isEmpty)
    let broken = try ProcessRunner.run(
      Self.binary, Self.mapping + ["--diff", "--exit-code"], input: Array("a: [b\n".utf8))
    #expect(broken.status == 2)
    let alone = try ProcessRunner.run(Self.binary, Self.mapping + ["--exit-code"])
    #expect(alone.status == 2)
  }

  @Test("--summary prints a table of changes on stderr; stdout is the output")
  func summary() throws {
    let plain = try ProcessRunner.run(Self.binary, Self.mapping, inputFile: Self.seed)
    let result = try ProcessRunner.run(
      Self.binary, Self.mapping + ["--summary"], inputFile: Self.seed)
    #expect(result.status == 0)
    #expect(result.stdout == plain.stdout)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.first?.hasPrefix("RESOURCE") == true)
    #expect(
      lines.contains {
        $0.hasPrefix("Ingress/shop/web") && $0.contains("spec.rules[0].host")
          && $0.hasSuffix("shop.staging.mycompany.com → shop.mirror.mycompany.com")
      })
    #expect(lines.last?.contains("rewrote 6 host fields") == true)
  }

  @Test("--results FILE writes a kpt FunctionResultList, warnings included")
  func resultsFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-results-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("results.yaml")
    let input = Array(
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: c}
      data: {url: https://api.staging.mycompany.com}

      """.utf8)
    let result = try ProcessRunner.run(
      Self.binary, Self.mapping + ["--results", file.path], input: input)
    #expect(result.status == 0)
    let written = Self.text(try #require(Fixtures.bytes(at: file)))
    #expect(written.hasPrefix("apiVersion: kpt.dev/v1\nkind: FunctionResultList\n"))
    #expect(written.contains("\nexitCode: 0\n"))
    #expect(written.contains("- exec: krm-mirror\n"))
    #expect(written.contains("severity: warning"))
    #expect(written.contains("path: data.url"))
    let unwritable = try ProcessRunner.run(
      Self.binary, Self.mapping + ["--results", folder.path], input: input)
    #expect(unwritable.status == 1)
    #expect(unwritable.stderr.contains("cannot write \(folder.path): Is a directory"))
  }

  @Test(
    "a positional argument that is not a configuration says what it is for",
    arguments: [
      ("examples/seed/ingress.yaml", "expected one configuration document, found 2"),
      ("version", "cannot read version: No such file or directory"),
      ("examples", "cannot read examples: is a directory"),
    ])
  func positional(argument: String, problem: String) throws {
    let result = try ProcessRunner.run(
      Self.binary, [argument], input: [], currentDirectory: Fixtures.packageRoot())
    #expect(result.status != 0)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains(problem), "\(result.stderr)")
    #expect(result.stderr.contains("manifests come on stdin"), "\(result.stderr)")
  }

  @Test("--config names the reason a file cannot be read")
  func configReason() throws {
    let result = try ProcessRunner.run(Self.binary, ["--config", "/nonexistent/mirror.yaml"])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains("cannot read /nonexistent/mirror.yaml: No such file or directory"))
  }
}
