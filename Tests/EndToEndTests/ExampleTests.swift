import Foundation
import TestSupport
import Testing
import YAMLSplice

/// Every example under `examples/`, run with the real clients, compared with
/// its `.expected/` output.
@Suite(.serialized)
struct ExampleTests {
  static let examples = Fixtures.packageRoot().appendingPathComponent("examples")
  static let binary = ProcessRunner.krmMirror
  static let binaryFolder = URL(fileURLWithPath: binary).deletingLastPathComponent().path

  /// The environment with the built binary first on PATH.
  static func environment(_ extra: [String: String] = [:], pathPrefix: [String] = [])
    -> [String: String]
  {
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] = (pathPrefix + [binaryFolder, environment["PATH"] ?? "/usr/bin:/bin"])
      .joined(separator: ":")
    environment.merge(extra) { $1 }
    return environment
  }

  static func temporaryFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: folder)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test("kpt-render: kpt fn render --allow-exec twice; the second render changes nothing")
  func kptRender() throws {
    let kpt = try Tool.require("kpt")
    let work = try Self.temporaryFolder("render")
    defer { try? FileManager.default.removeItem(at: work) }
    let package = work.appendingPathComponent("package")
    try FileManager.default.copyItem(
      at: Self.examples.appendingPathComponent("kpt-render"), to: package)
    let expected = Self.examples.appendingPathComponent("kpt-render/.expected")
    let files = ["Kptfile", "configmap.yaml", "httproute.yaml", "ingress.yaml", "mirror.yaml"]
    let render = ["fn", "render", package.path, "--allow-exec"]
    let first = try ProcessRunner.run(kpt, render, environment: Self.environment())
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("[warning] v1/ConfigMap/storefront data.PUBLIC_URL"))
    var afterFirst: [String: [UInt8]] = [:]
    for file in files {
      let bytes = try #require(Fixtures.bytes(at: package.appendingPathComponent(file)))
      afterFirst[file] = bytes
      Golden.check(bytes, against: expected.appendingPathComponent(file))
    }
    let second = try ProcessRunner.run(kpt, render, environment: Self.environment())
    #expect(second.status == 0, "\(second.stderr)")
    for file in files {
      #expect(
        Fixtures.bytes(at: package.appendingPathComponent(file)) == afterFirst[file],
        "the second render changed \(file)")
    }
  }

  @Test("kustomize-legacy-plugin: kubectl kustomize --enable-alpha-plugins runs the plugin")
  func legacyPlugin() throws {
    let kubectl = try Tool.require("kubectl")
    let home = try Self.temporaryFolder("plugins")
    defer { try? FileManager.default.removeItem(at: home) }
    let install = try ProcessRunner.run(
      "/usr/bin/env",
      [
        "make", "-s", "-C", Fixtures.packageRoot().path, "install-kustomize-plugin",
        "PLUGIN_HOME=\(home.path)", "BIN=\(Self.binary)",
      ],
      environment: Self.environment())
    #expect(install.status == 0, "\(install.stderr)")
    let result = try ProcessRunner.run(
      kubectl,
      [
        "kustomize", "--enable-alpha-plugins",
        Self.examples.appendingPathComponent("kustomize-legacy-plugin/overlays/mirror").path,
      ],
      environment: Self.environment(["KUSTOMIZE_PLUGIN_HOME": home.path]))
    #expect(result.status == 0, "\(result.stderr)")
    Golden.check(
      result.stdout,
      against: Self.examples.appendingPathComponent(
        "kustomize-legacy-plugin/.expected/output.yaml"))
  }

  @Test("kustomize-exec-function: kubectl kustomize silently skips an exec function, as documented")
  func execFunctionSkipped() throws {
    let kubectl = try Tool.require("kubectl")
    let folder = Self.examples.appendingPathComponent("kustomize-exec-function")
    let result = try ProcessRunner.run(
      kubectl, ["kustomize", "--enable-alpha-plugins", folder.path],
      environment: Self.environment())
    #expect(result.status == 0, "\(result.stderr)")
    let text = String(decoding: result.stdout, as: UTF8.self)
    #expect(text.contains("host: shop.staging.mycompany.com"), "kubectl did run the function?")
    #expect(!text.contains("mirror.mycompany.com"))
    // The function's configuration itself is valid.
    let config = try ProcessRunner.run(
      Self.binary, ["--config", folder.appendingPathComponent("mirror.yaml").path],
      input: Array("kind: Ingress\n".utf8))
    #expect(config.status == 0, "\(config.stderr)")
  }

  @Test("pipe: kubectl kustomize | krm-mirror")
  func pipe() throws {
    _ = try Tool.require("kubectl")
    let result = try ProcessRunner.run(
      "/bin/bash", [Self.examples.appendingPathComponent("pipe/render.sh").path],
      environment: Self.environment())
    #expect(result.status == 0, "\(result.stderr)")
    Golden.check(
      result.stdout, against: Self.examples.appendingPathComponent("pipe/.expected/output.yaml"))
  }
}
