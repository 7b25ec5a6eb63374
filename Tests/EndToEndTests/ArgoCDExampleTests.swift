import Foundation
import TestSupport
import Testing
import YAMLSplice

/// The `generate` command of `examples/argocd-cmp/plugin.yaml`, run the way
/// the Argo CD CMP server runs it: in the app's directory, with the
/// parameters as `PARAM_<NAME>`, and several apps at the same time.
@Suite(.serialized)
struct ArgoCDExampleTests {
  static let folder = ExampleTests.examples.appendingPathComponent("argocd-cmp")

  /// The shop app takes its domains from the plugin parameters.
  static let shopEnvironment = [
    "PARAM_FROM": "staging.mycompany.com", "PARAM_TO": "mirror.mycompany.com",
    "ARGOCD_APP_REVISION_SHORT": "abc1234",
  ]

  /// One app: its directory, the variables Argo CD sets, its expected output.
  struct App: Sendable {
    var directory: URL
    var environment: [String: String]
    var expected: URL
  }

  static let shop = App(
    directory: folder.appendingPathComponent("app"), environment: shopEnvironment,
    expected: folder.appendingPathComponent(".expected/output.yaml"))
  /// The blog app carries `.krm-mirror.yaml` and sets no parameters.
  static let blog = App(
    directory: folder.appendingPathComponent("blog"),
    environment: ["ARGOCD_APP_REVISION_SHORT": "def5678"],
    expected: folder.appendingPathComponent(".expected/blog.yaml"))

  /// The generate script from plugin.yaml, after checking its command.
  static func generateScript() throws -> String {
    let plugin = try #require(Fixtures.bytes(at: folder.appendingPathComponent("plugin.yaml")))
    let document = try #require(try StreamParser.parse(plugin).first)
    let command = try #require(
      document.value(at: ["spec", "generate", "command"], from: document.root))
    #expect(Array(document.children(of: command)).map(document.string(of:)) == ["bash", "-c"])
    let args = try #require(document.value(at: ["spec", "generate", "args"], from: document.root))
    return try #require(Array(document.children(of: args)).first.map(document.string(of:)))
  }

  /// A folder with a `kustomize` that serves `kustomize build DIR` with
  /// `kubectl kustomize DIR` (no standalone kustomize is installed here).
  static func kustomizeShim() throws -> URL {
    _ = try Tool.require("kubectl")
    let shims = try ExampleTests.temporaryFolder("argocd-shims")
    let shim = shims.appendingPathComponent("kustomize")
    try Fixtures.write(
      Array("#!/bin/sh\n[ \"$1\" = build ] && shift\nexec kubectl kustomize \"$@\"\n".utf8),
      to: shim)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shim.path)
    return shims
  }

  /// Runs the generate script for `app` as the CMP server would.
  static func generate(_ script: String, _ app: App, shims: URL) throws -> ProcessResult {
    let bash = try Tool.require("bash")
    return try ProcessRunner.run(
      bash, ["-c", script],
      environment: ExampleTests.environment(app.environment, pathPrefix: [shims.path]),
      currentDirectory: app.directory)
  }

  @Test("argocd-cmp: each app renders to its expected output", arguments: ["shop", "blog"])
  func generate(name: String) throws {
    let app = name == "shop" ? Self.shop : Self.blog
    let shims = try Self.kustomizeShim()
    defer { try? FileManager.default.removeItem(at: shims) }
    let result = try Self.generate(Self.generateScript(), app, shims: shims)
    #expect(result.status == 0, "\(result.stderr)")
    Golden.check(result.stdout, against: app.expected)
  }

  @Test("argocd-cmp: two apps generating at the same time never see each other's manifests")
  func concurrentApps() throws {
    let script = try Self.generateScript()
    let shims = try Self.kustomizeShim()
    defer { try? FileManager.default.removeItem(at: shims) }
    let apps = [Self.shop, Self.blog]
    let expected = try apps.map { try #require(Fixtures.bytes(at: $0.expected)) }
    for round in 1...20 {
      let results = ResultBox(count: apps.count)
      DispatchQueue.concurrentPerform(iterations: apps.count) { index in
        results.set(index, Result { try Self.generate(script, apps[index], shims: shims) })
      }
      for (index, app) in apps.enumerated() {
        let result = try results.get(index).get()
        #expect(
          result.status == 0, "round \(round), \(app.directory.lastPathComponent): \(result.stderr)"
        )
        #expect(
          result.stdout == expected[index],
          """
          round \(round), \(app.directory.lastPathComponent): \
          \(ByteDiff.describe(expected: expected[index], actual: result.stdout) ?? "")
          """)
      }
    }
  }

  @Test("argocd-cmp: a failing kustomize fails the generate and prints nothing")
  func failingKustomize() throws {
    let work = try ExampleTests.temporaryFolder("argocd-broken")
    defer { try? FileManager.default.removeItem(at: work) }
    try Fixtures.write(
      Array("resources:\n- missing.yaml\n".utf8),
      to: work.appendingPathComponent("kustomization.yaml"))
    let shims = try Self.kustomizeShim()
    defer { try? FileManager.default.removeItem(at: shims) }
    let app = App(directory: work, environment: Self.shopEnvironment, expected: work)
    let result = try Self.generate(Self.generateScript(), app, shims: shims)
    #expect(result.status != 0)
    #expect(result.stdout.isEmpty, "\(String(decoding: result.stdout, as: UTF8.self))")
  }

  @Test("argocd-cmp: no parameters and no .krm-mirror.yaml, or both, fail the generate")
  func missingOrConflictingConfiguration() throws {
    let shims = try Self.kustomizeShim()
    defer { try? FileManager.default.removeItem(at: shims) }
    let script = try Self.generateScript()
    var bare = Self.shop
    bare.environment = [:]
    let missing = try Self.generate(script, bare, shims: shims)
    #expect(missing.status != 0)
    #expect(missing.stdout.isEmpty)
    #expect(missing.stderr.contains("set the plugin parameter from"), "\(missing.stderr)")
    var both = Self.blog
    both.environment = Self.shopEnvironment
    let conflicting = try Self.generate(script, both, shims: shims)
    #expect(conflicting.status != 0)
    #expect(conflicting.stdout.isEmpty)
    #expect(conflicting.stderr.contains(".krm-mirror.yaml"), "\(conflicting.stderr)")
  }
}

/// Results written by concurrent workers, one slot each.
private final class ResultBox: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<ProcessResult, any Error>?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ result: Result<ProcessResult, any Error>) {
    lock.withLock { slots[index] = result }
  }

  func get(_ index: Int) throws -> Result<ProcessResult, any Error> {
    try #require(lock.withLock { slots[index] })
  }
}
