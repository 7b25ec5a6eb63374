import Foundation
import TestSupport
import Testing

/// The container image built by `make image`, run for real: by kpt through
/// podman (`fn eval --image`, a Kptfile pipeline with `image:`), by
/// `kubectl kustomize` through podman's Docker-API socket, and by podman
/// directly. Every container runs as `nobody`, read-only, without network.
/// Needs podman and the image; without them the tests are cancelled, and
/// under CI (`CI=true`) they fail.
@Suite(.serialized)
struct ImageTests {
  static let root = Fixtures.packageRoot()
  static let image =
    ProcessInfo.processInfo.environment["KRM_MIRROR_IMAGE"] ?? "localhost/krm-mirror:dev"
  static let containersConf = root.appendingPathComponent("scripts/containers.conf").path
  static let seed = root.appendingPathComponent("examples/seed")
  static let hostArguments = ["from=staging.mycompany.com", "to=mirror.mycompany.com"]

  /// A scratch folder with `podman` and `docker` wrappers first on PATH: each
  /// appends its arguments to `calls.log`, adds `--read-only` to `run` (kpt
  /// and kustomize do not ask for it), then runs the real program.
  struct Sandbox {
    let folder: URL
    let environment: [String: String]

    var calls: [String] {
      let log = folder.appendingPathComponent("calls.log")
      let text = String(decoding: Fixtures.bytes(at: log) ?? [], as: UTF8.self)
      return text.split(separator: "\n").map(String.init)
    }

    /// The `run` calls of `program` in the log.
    func runs(of program: String) -> [String] {
      calls.filter { $0.hasPrefix("\(program) run ") }
    }
  }

  /// podman's path once the image exists; otherwise the test is cancelled
  /// (or fails under CI).
  static func requireImage() throws -> String {
    let podman = try Tool.require("podman")
    let exists = try ProcessRunner.run(
      podman, ["image", "exists", image], environment: environment())
    if exists.status != 0 {
      try Tool.unavailable(
        "image", because: "\(image) is not built (`make image`): \(exists.stderr)")
    }
    return podman
  }

  static func environment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["CONTAINERS_CONF"] = containersConf
    environment.merge(extra) { $1 }
    return environment
  }

  static func sandbox(_ name: String) throws -> Sandbox {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-image-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: folder)
    let shims = folder.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: shims, withIntermediateDirectories: true)
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for program in ["podman", "docker"] {
      guard let real = ProcessRunner.which(program) else { continue }
      let script = """
        #!/bin/sh
        echo "\(program) $*" >> '\(folder.path)/calls.log'
        if [ "$1" = run ]; then shift; exec '\(real)' run --read-only "$@"; fi
        exec '\(real)' "$@"

        """
      let shim = shims.appendingPathComponent(program)
      try Fixtures.write(Array(script.utf8), to: shim)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shim.path)
    }
    return Sandbox(
      folder: folder,
      environment: environment([
        "PATH": "\(shims.path):\(path)", "KPT_FN_RUNTIME": "podman",
      ]))
  }

  /// Checks that a recorded container run used the image as `nobody`
  /// without network, and read-only.
  static func expectConfined(_ runs: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!runs.isEmpty, "no container was run", sourceLocation: sourceLocation)
    for run in runs {
      #expect(run.contains("--network none"), "\(run)", sourceLocation: sourceLocation)
      #expect(run.contains("--user nobody"), "\(run)", sourceLocation: sourceLocation)
      #expect(run.contains(image), "\(run)", sourceLocation: sourceLocation)
    }
  }

  @Test("kpt fn eval --image, twice: .expected/ingress.yaml, then nothing changes")
  func kptEval() throws {
    _ = try Self.requireImage()
    let kpt = try Tool.require("kpt")
    let sandbox = try Self.sandbox("eval")
    defer { try? FileManager.default.removeItem(at: sandbox.folder) }
    let package = sandbox.folder.appendingPathComponent("package")
    try FileManager.default.copyItem(at: Self.seed, to: package)
    let arguments = ["fn", "eval", package.path, "--image", Self.image, "--"] + Self.hostArguments
    let ingress = package.appendingPathComponent("ingress.yaml")

    let first = try ProcessRunner.run(kpt, arguments, environment: sandbox.environment)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("[PASS] \"\(Self.image)\""), "\(first.stderr)")
    let afterFirst = try #require(Fixtures.bytes(at: ingress))
    Golden.check(afterFirst, against: Self.seed.appendingPathComponent(".expected/ingress.yaml"))

    let second = try ProcessRunner.run(kpt, arguments, environment: sandbox.environment)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("no host matched"), "\(second.stderr)")
    #expect(Fixtures.bytes(at: ingress) == afterFirst, "the second run changed ingress.yaml")
    #expect(sandbox.runs(of: "podman").count == 2)
    Self.expectConfined(sandbox.runs(of: "podman"))
  }

  @Test("kpt fn render with image: in the Kptfile, twice: kpt-render/.expected, then stable")
  func kptRender() throws {
    _ = try Self.requireImage()
    let kpt = try Tool.require("kpt")
    let sandbox = try Self.sandbox("render")
    defer { try? FileManager.default.removeItem(at: sandbox.folder) }
    let example = Self.root.appendingPathComponent("examples/kpt-render")
    let package = sandbox.folder.appendingPathComponent("package")
    try FileManager.default.copyItem(at: example, to: package)
    // .expected holds a Kptfile too: kpt would render it as a subpackage.
    try FileManager.default.removeItem(at: package.appendingPathComponent(".expected"))
    // The example's pipeline, with the image in place of the exec binary.
    func imageKptfile(_ bytes: [UInt8]) throws -> [UInt8] {
      let text = String(decoding: bytes, as: UTF8.self)
      let exec = "  - exec: krm-mirror\n"
      try #require(text.contains(exec))
      return Array(text.replacingOccurrences(of: exec, with: "  - image: \(Self.image)\n").utf8)
    }
    let kptfile = package.appendingPathComponent("Kptfile")
    try Fixtures.write(try imageKptfile(try #require(Fixtures.bytes(at: kptfile))), to: kptfile)
    let expected = example.appendingPathComponent(".expected")
    let render = ["fn", "render", package.path]

    let first = try ProcessRunner.run(kpt, render, environment: sandbox.environment)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("[warning] v1/ConfigMap/storefront data.PUBLIC_URL"))
    let files = ["configmap.yaml", "httproute.yaml", "ingress.yaml", "mirror.yaml"]
    var afterFirst: [String: [UInt8]] = [:]
    for file in files + ["Kptfile"] {
      let bytes = try #require(Fixtures.bytes(at: package.appendingPathComponent(file)))
      afterFirst[file] = bytes
    }
    for file in files {
      Golden.check(afterFirst[file] ?? [], against: expected.appendingPathComponent(file))
    }
    let expectedKptfile = try #require(
      Fixtures.bytes(at: expected.appendingPathComponent("Kptfile")))
    #expect(afterFirst["Kptfile"] == (try imageKptfile(expectedKptfile)))

    let second = try ProcessRunner.run(kpt, render, environment: sandbox.environment)
    #expect(second.status == 0, "\(second.stderr)")
    for file in files + ["Kptfile"] {
      #expect(
        Fixtures.bytes(at: package.appendingPathComponent(file)) == afterFirst[file],
        "the second render changed \(file)")
    }
    #expect(sandbox.runs(of: "podman").count == 2)
    Self.expectConfined(sandbox.runs(of: "podman"))
  }

  @Test("kubectl kustomize runs the image as a container function through podman's Docker API")
  func kustomizeContainerFunction() throws {
    let podman = try Self.requireImage()
    let kubectl = try Tool.require("kubectl")
    _ = try Tool.require("docker")
    let sandbox = try Self.sandbox("kustomize")
    defer { try? FileManager.default.removeItem(at: sandbox.folder) }
    let socket = sandbox.folder.appendingPathComponent("podman.sock")
    let service = Process()
    service.executableURL = URL(fileURLWithPath: podman)
    service.arguments = ["system", "service", "--time=60", "unix://\(socket.path)"]
    service.environment = Self.environment()
    service.standardOutput = FileHandle.nullDevice
    service.standardError = FileHandle.nullDevice
    try service.run()
    defer {
      service.terminate()
      service.waitUntilExit()
    }
    for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket.path) {
      usleep(100_000)
    }
    try #require(FileManager.default.fileExists(atPath: socket.path), "podman service socket")

    // The seed Ingress and Service with the image as a transformer.
    let mirrored = sandbox.folder.appendingPathComponent("mirrored")
    try FileManager.default.createDirectory(at: mirrored, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: Self.seed.appendingPathComponent("ingress.yaml"),
      to: mirrored.appendingPathComponent("ingress.yaml"))
    try Fixtures.write(
      Array("resources:\n- ingress.yaml\ntransformers:\n- mirror.yaml\n".utf8),
      to: mirrored.appendingPathComponent("kustomization.yaml"))
    let config = """
      apiVersion: krm-mirror.dev/v1alpha1
      kind: Mirror
      metadata:
        name: mirror
        annotations:
          config.kubernetes.io/function: |
            container:
              image: \(Self.image)
      spec:
        hosts:
        - from: staging.mycompany.com
          to: mirror.mycompany.com

      """
    try Fixtures.write(Array(config.utf8), to: mirrored.appendingPathComponent("mirror.yaml"))
    let result = try ProcessRunner.run(
      kubectl, ["kustomize", "--enable-alpha-plugins", mirrored.path],
      environment: sandbox.environment.merging(["DOCKER_HOST": "unix://\(socket.path)"]) { $1 })
    #expect(result.status == 0, "\(result.stderr)")

    // kustomize re-serialises what the function returns, so compare with
    // kustomize's rendering of the filter's golden output.
    let reference = sandbox.folder.appendingPathComponent("reference")
    try FileManager.default.createDirectory(at: reference, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: Self.seed.appendingPathComponent(".expected/filter.yaml"),
      to: reference.appendingPathComponent("filter.yaml"))
    try Fixtures.write(
      Array("resources:\n- filter.yaml\n".utf8),
      to: reference.appendingPathComponent("kustomization.yaml"))
    let expected = try ProcessRunner.run(kubectl, ["kustomize", reference.path])
    #expect(expected.status == 0, "\(expected.stderr)")
    #expect(String(decoding: result.stdout, as: UTF8.self).contains("shop.mirror.mycompany.com"))
    #expect(
      result.stdout == expected.stdout,
      "\(ByteDiff.describe(expected: expected.stdout, actual: result.stdout) ?? "")")
    #expect(sandbox.runs(of: "docker").count == 1)
    Self.expectConfined(sandbox.runs(of: "docker"))
  }

  @Test("podman run, read-only, no network, as nobody and as the image's user: the seed filter")
  func directRun() throws {
    let podman = try Self.requireImage()
    let input = try #require(Fixtures.bytes(at: Self.seed.appendingPathComponent("ingress.yaml")))
    let golden = Self.seed.appendingPathComponent(".expected/filter.yaml")
    let confined = ["run", "--rm", "-i", "--read-only", "--network", "none", "--cap-drop", "all"]
    let filter = ["--from", "staging.mycompany.com", "--to", "mirror.mycompany.com"]
    for user in [["--user", "nobody"], []] {
      let result = try ProcessRunner.run(
        podman, confined + user + [Self.image] + filter, input: input,
        environment: Self.environment())
      #expect(result.status == 0, "\(user): \(result.stderr)")
      Golden.check(result.stdout, against: golden)
    }
    let inspect = try ProcessRunner.run(
      podman,
      ["image", "inspect", "--format", "{{.Config.User}} {{json .Config.Entrypoint}}", Self.image],
      environment: Self.environment())
    #expect(
      String(decoding: inspect.stdout, as: UTF8.self)
        == "65532:65532 [\"/usr/local/bin/krm-mirror\"]\n")
  }
}
