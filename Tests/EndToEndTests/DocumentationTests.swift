import Foundation
import TestSupport
import Testing
import YAMLSplice

/// The documentation stays true: every configuration block in the READMEs is
/// accepted by the binary and by its JSON Schema; every YAML block parses;
/// every function folder has its catalog metadata.
struct DocumentationTests {
  static let root = Fixtures.packageRoot()
  static let functions = ["mirror", "replace-hosts", "sync-tls", "tag-mirror", "check-hosts"]
  static let schemaFolder = [
    "Mirror": "mirror", "ReplaceHosts": "replace-hosts", "SyncTLS": "sync-tls",
    "TagMirror": "tag-mirror", "CheckHosts": "check-hosts",
  ]

  static let readmes: [URL] =
    functions.map { root.appendingPathComponent("functions/\($0)/README.md") }
    + [root.appendingPathComponent("README.md")]

  /// The ```yaml blocks of a Markdown file.
  static func yamlBlocks(_ url: URL) -> [String] {
    guard let bytes = Fixtures.bytes(at: url) else { return [] }
    var blocks: [String] = []
    var current: [Substring]?
    for line in String(decoding: bytes, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    {
      if current == nil, line.trimmingCharacters(in: .whitespaces) == "```yaml" {
        current = []
      } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
        blocks.append((current ?? []).joined(separator: "\n") + "\n")
        current = nil
      } else if current != nil {
        current?.append(line)
      }
    }
    return blocks
  }

  @Test("every README has configuration examples", arguments: readmes)
  func hasExamples(readme: URL) {
    #expect(!Self.yamlBlocks(readme).isEmpty, "\(readme.path)")
  }

  @Test("every YAML block parses; every configuration block is accepted", arguments: readmes)
  func blocksAreAccepted(readme: URL) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-docs-\(getpid())-\(readme.deletingLastPathComponent().lastPathComponent)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for (index, block) in Self.yamlBlocks(readme).enumerated() {
      let bytes = Array(block.utf8)
      let documents: [Document]
      do {
        documents = try StreamParser.parse(bytes)
      } catch {
        Issue.record(
          "\(readme.path) block \(index): \(error.rendered(name: "block", source: bytes))")
        continue
      }
      guard let document = documents.first, document.kind(of: document.root) == .mapping else {
        continue
      }
      let apiVersion = document.string("apiVersion", in: document.root) ?? ""
      let kind = document.string("kind", in: document.root) ?? ""
      guard apiVersion.hasPrefix("krm-mirror.dev/") || kind == "ConfigMap" else { continue }
      let file = folder.appendingPathComponent("block-\(index).yaml")
      try Fixtures.write(bytes, to: file)
      let input = Array(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a}\nspec: {rules: [{host: a.mirror.mycompany.com}]}\n"
          .utf8)
      let result = try ProcessRunner.run(
        ProcessRunner.krmMirror, ["--config", file.path], input: input)
      #expect(result.status == 0, "\(readme.path) block \(index) rejected: \(result.stderr)")
      if let schema = Self.schemaFolder[kind] {
        try Self.validate(
          file, against: Self.root.appendingPathComponent("functions/\(schema)/config.schema.json"),
          label: "\(readme.lastPathComponent) block \(index)")
      }
    }
  }

  /// Validates a YAML file against a JSON Schema with Python's jsonschema.
  static func validate(_ file: URL, against schema: URL, label: String) throws {
    let python = try Tool.require("python3")
    let script = """
      import json, sys, yaml, jsonschema
      schema = json.load(open(sys.argv[1]))
      jsonschema.validate(yaml.safe_load(open(sys.argv[2])), schema)
      """
    let result = try ProcessRunner.run(python, ["-c", script, schema.path, file.path])
    if result.stderr.contains("No module named") {
      let message = "python3 lacks pyyaml or jsonschema: \(result.stderr)"
      if Fixtures.isCI {
        Issue.record(Comment(rawValue: message))
      } else {
        print("warning: \(message)")
      }
      return
    }
    #expect(
      result.status == 0, "\(label) does not match \(schema.lastPathComponent): \(result.stderr)")
  }

  @Test("a configuration the schema must refuse is refused (the schema check can fail)")
  func schemaRefusesUnknownFields() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-bad-\(getpid()).yaml")
    try Fixtures.write(
      Array(
        "apiVersion: krm-mirror.dev/v1alpha1\nkind: Mirror\nspec:\n  hosts: [{from: a.example.com, to: b.example.com}]\n  colour: blue\n"
          .utf8), to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let python = try Tool.require("python3")
    let result = try ProcessRunner.run(
      python,
      [
        "-c",
        "import json,sys,yaml,jsonschema\ntry:\n  jsonschema.validate(yaml.safe_load(open(sys.argv[2])), json.load(open(sys.argv[1])))\nexcept jsonschema.ValidationError:\n  sys.exit(3)",
        Self.root.appendingPathComponent("functions/mirror/config.schema.json").path, file.path,
      ])
    if result.stderr.contains("No module named") && !Fixtures.isCI { return }
    #expect(result.status == 3, "\(result.stderr)")
  }

  @Test("every function folder has catalog metadata and a schema", arguments: functions)
  func metadata(function: String) throws {
    let folder = Self.root.appendingPathComponent("functions/\(function)")
    let bytes = try #require(Fixtures.bytes(at: folder.appendingPathComponent("metadata.yaml")))
    let document = try #require(try StreamParser.parse(bytes).first)
    for key in ["image", "description", "tags", "sourceURL", "examplePackageURLs", "license"] {
      #expect(document.value(key, in: document.root) != nil, "\(function)/metadata.yaml: \(key)")
    }
    #expect(Fixtures.bytes(at: folder.appendingPathComponent("config.schema.json")) != nil)
  }
}
