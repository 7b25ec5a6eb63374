import ArgumentParser
import Mirror

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

/// The `krm-mirror` command: flags in, bytes through, exit code out.
@main
struct KRMMirrorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "krm-mirror",
    abstract: "Rewrite hostnames in Kubernetes manifests for a mirror environment.",
    discussion: """
      Reads YAML on stdin and writes it to stdout with hosts under a source domain
      moved to the mirror domain, byte for byte otherwise.

      Modes (detected):
        KRM function   stdin is one ResourceList (kpt, kustomize): config from
                       functionConfig (krm-mirror.dev/v1alpha1 Mirror, or a
                       ConfigMap with from/to), results appended.
        kustomize      the first argument is a krm-mirror config file (legacy
        exec plugin    exec plugin layout); stdin and stdout are YAML streams.
        filter         anything else: a multi-document YAML stream (or one JSON
                       object), config from the flags below.

      Exit status: 0 success; 1 malformed input, configuration error or an
      error result; 2 command-line usage error. Nothing is written to stdout
      unless the whole input parsed.

      Examples:
        kustomize build overlays/staging | krm-mirror --from staging.example.com --to mirror.example.com
        kpt fn eval pkg --exec krm-mirror -- from=staging.example.com to=mirror.example.com
      """,
    version: "0.1.0"
  )

  @Option(help: "Source domain (with --to).")
  var from: String?

  @Option(help: "Mirror domain (with --from).")
  var to: String?

  @Option(name: .customLong("host"), help: "A mapping FROM=TO (repeatable).")
  var hosts: [String] = []

  @Option(help: "A krm-mirror configuration file (Mirror kind or ConfigMap).")
  var config: String?

  @Option(help: "Leftover references to a source domain: ignore | warn | error (default warn).")
  var leaks: String?

  @Option(help: "Also rewrite hosts inside any string (true | false).")
  var text: String?

  @Option(
    name: .customLong("cluster-issuer"), help: "cert-manager ClusterIssuer for mirrored resources.")
  var clusterIssuer: String?

  @Option(
    name: .customLong("secret-names"),
    help: "TLS secret names that embed a source domain: keep | rename.")
  var secretNames: String?

  @Option(
    name: .customLong("cover-rule-hosts"),
    help: "Add rewritten rule hosts no TLS entry covers to the Ingress's TLS (true | false).")
  var coverRuleHosts: String?

  @Option(
    name: .customLong("tag-scope"),
    help: "Which resources get tag annotations and labels: changed | all.")
  var tagScope: String?

  @Option(
    name: .customLong("tag-annotation"),
    help: "An annotation KEY=VALUE for tagged resources (repeatable).")
  var tagAnnotations: [String] = []

  @Option(
    name: .customLong("tag-label"), help: "A label KEY=VALUE for tagged resources (repeatable).")
  var tagLabels: [String] = []

  @Flag(help: "Report every result on stderr in filter mode.")
  var verbose = false

  @Argument(help: "A krm-mirror configuration file (how kustomize calls an exec plugin).")
  var pluginConfig: String?

  static func main() {
    let command: KRMMirrorCommand
    do {
      command = try parse()
    } catch {
      let message = fullMessage(for: error)
      if exitCode(for: error) == .success {
        StandardIO.write(Array((message + "\n").utf8), to: 1)
        Glibc.exit(0)
      }
      StandardIO.writeError(message + "\n")
      Glibc.exit(2)
    }
    Glibc.exit(command.execute())
  }

  /// Runs the invocation over stdin; returns the exit status.
  func execute() -> Int32 {
    var settings: [(String, String)] = []
    for (key, value) in [
      ("leaks", leaks), ("text", text), ("cluster-issuer", clusterIssuer),
      ("secret-names", secretNames), ("cover-rule-hosts", coverRuleHosts), ("tag-scope", tagScope),
    ] {
      if let value { settings.append((key, value)) }
    }
    settings += tagAnnotations.map { ("tag-annotation", $0) } + tagLabels.map { ("tag-label", $0) }
    let invocation = Invocation(
      from: from, to: to, hostPairs: hosts, configFile: config, pluginConfigFile: pluginConfig,
      verbose: verbose, settings: settings)
    let io = RunIO(
      read: { StandardIO.readBlock(0, size: 1 << 20, into: &$0) },
      write: { StandardIO.write($0, to: 1) },
      report: StandardIO.writeError)
    return Runner(invocation: invocation, readFile: StandardIO.readFile).run(io).rawValue
  }
}
