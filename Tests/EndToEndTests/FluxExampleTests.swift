import Foundation
import TestSupport
import Testing

/// `examples/flux-ci/render.sh` in a real git repository: the gitops tree of
/// the example, committed in a temporary folder, rendered and committed by the
/// script the way a CI job runs it.
@Suite(.serialized)
struct FluxExampleTests {
  static let folder = ExampleTests.examples.appendingPathComponent("flux-ci")
  static let render = [
    "ci/render.sh", "--config", "krm-mirror.yaml", "--out", "rendered/mirror", "--commit",
    "apps/shop/staging",
  ]

  /// A gitops repository: the example's `gitops/` tree plus `ci/render.sh`,
  /// committed once.
  struct Repository {
    var root: URL
    var git: String

    init(name: String) throws {
      git = try Tool.require("git")
      root = try ExampleTests.temporaryFolder(name)
      try FileManager.default.removeItem(at: root)
      try FileManager.default.copyItem(
        at: FluxExampleTests.folder.appendingPathComponent("gitops"), to: root)
      let ci = root.appendingPathComponent("ci")
      try FileManager.default.createDirectory(at: ci, withIntermediateDirectories: true)
      try FileManager.default.copyItem(
        at: FluxExampleTests.folder.appendingPathComponent("render.sh"),
        to: ci.appendingPathComponent("render.sh"))
      try run(["init", "-q", "-b", "main"])
      try run(["config", "user.name", "Test"])
      try run(["config", "user.email", "test@example.com"])
      try run(["config", "commit.gpgsign", "false"])
      try run(["add", "-A"])
      try run(["commit", "-q", "-m", "gitops tree"])
    }

    /// Runs git in the repository and returns its stdout; fails the test on
    /// a non-zero status.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
      let result = try ProcessRunner.run(git, arguments, currentDirectory: root)
      #expect(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderr)")
      return String(decoding: result.stdout, as: UTF8.self)
    }

    /// The number of commits on HEAD.
    func commitCount() throws -> Int {
      Int(try run(["rev-list", "--count", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines))
        ?? -1
    }

    /// Runs render.sh with krm-mirror given by path (not on PATH).
    func render(_ arguments: [String] = FluxExampleTests.render) throws -> ProcessResult {
      try ProcessRunner.run(
        Tool.require("bash"), arguments,
        environment: ProcessInfo.processInfo.environment.merging(
          ["KRM_MIRROR": ExampleTests.binary]) { $1 },
        currentDirectory: root)
    }

    func write(_ text: String, to path: String) throws {
      try Fixtures.write(Array(text.utf8), to: root.appendingPathComponent(path))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
  }

  @Test("flux-ci: render.sh renders and commits; a second run commits nothing")
  func rendersAndCommitsOnce() throws {
    _ = try Tool.require("kubectl")
    let repository = try Repository(name: "flux-git")
    defer { repository.remove() }
    let first = try repository.render()
    #expect(first.status == 0, "\(first.stderr)")
    let rendered = try #require(
      Fixtures.bytes(at: repository.root.appendingPathComponent("rendered/mirror/manifests.yaml")))
    Golden.check(rendered, against: Self.folder.appendingPathComponent(".expected/manifests.yaml"))
    #expect(try repository.commitCount() == 2)
    #expect(
      try repository.run(["show", "--name-only", "--format=", "HEAD"])
        == "rendered/mirror/manifests.yaml\n")
    #expect(try repository.run(["status", "--porcelain"]).isEmpty)

    let second = try repository.render()
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("nothing to commit"), "\(second.stderr)")
    #expect(try repository.commitCount() == 2)
    #expect(try repository.run(["status", "--porcelain"]).isEmpty)
  }

  @Test("flux-ci: a broken configuration or kustomization fails and commits nothing")
  func failuresCommitNothing() throws {
    _ = try Tool.require("kubectl")
    let repository = try Repository(name: "flux-broken")
    defer { repository.remove() }
    #expect(try repository.render().status == 0)
    let output = repository.root.appendingPathComponent("rendered/mirror/manifests.yaml")
    let before = try #require(Fixtures.bytes(at: output))
    // A source change that a successful render would commit.
    try repository.write(
      """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources:
      - ../base
      labels:
      - pairs:
          app.kubernetes.io/part-of: shop-v2

      """, to: "apps/shop/staging/kustomization.yaml")
    try repository.run(["commit", "-q", "-a", "-m", "relabel"])
    let commits = try repository.commitCount()

    let config = try #require(
      Fixtures.bytes(at: repository.root.appendingPathComponent("krm-mirror.yaml")))
    try repository.write(
      String(decoding: config, as: UTF8.self).replacingOccurrences(
        of: "leaks: error", with: "leaks: sometimes"), to: "krm-mirror.yaml")
    let badConfig = try repository.render()
    #expect(badConfig.status != 0)
    #expect(badConfig.stderr.contains("leaks"), "\(badConfig.stderr)")
    #expect(Fixtures.bytes(at: output) == before)
    #expect(try repository.commitCount() == commits)
    #expect(try repository.run(["status", "--porcelain"]) == " M krm-mirror.yaml\n")
    try repository.run(["checkout", "-q", "--", "krm-mirror.yaml"])

    try repository.write(
      "resources:\n- ../base\n- missing.yaml\n", to: "apps/shop/staging/kustomization.yaml")
    let badBuild = try repository.render()
    #expect(badBuild.status != 0)
    #expect(Fixtures.bytes(at: output) == before)
    #expect(try repository.commitCount() == commits)
    try repository.run(["checkout", "-q", "--", "apps/shop/staging/kustomization.yaml"])

    // Without KRM_MIRROR and not on PATH: a loud failure, not a skip.
    var environment = ProcessInfo.processInfo.environment
    environment["KRM_MIRROR"] = nil
    // Only the script itself on PATH.
    environment["PATH"] = repository.root.appendingPathComponent("ci").path
    let noBinary = try ProcessRunner.run(
      Tool.require("bash"), Self.render, environment: environment,
      currentDirectory: repository.root)
    #expect(noBinary.status != 0)
    #expect(noBinary.stderr.contains("krm-mirror not found"), "\(noBinary.stderr)")
    #expect(try repository.commitCount() == commits)
  }
}
