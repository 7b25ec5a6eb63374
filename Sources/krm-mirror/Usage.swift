/// The texts the command prints about itself.
enum Usage {
  /// The version `--version` prints.
  static let version = "0.1.0"

  /// The text `--help` prints (kpt shows it for an image's documentation).
  static let help = """
    OVERVIEW: Rewrite hostnames in Kubernetes manifests for a mirror environment.

    Reads YAML on stdin and writes it to stdout with hosts under a source domain
    moved to the mirror domain, byte for byte otherwise.

    USAGE: krm-mirror [<options>] [<plugin-config>]

    ARGUMENTS:
      <plugin-config>          A krm-mirror configuration file (how kustomize calls
                               a legacy exec plugin).

    OPTIONS:
      --from <domain>          Source domain (with --to).
      --to <domain>            Mirror domain (with --from).
      --host <from=to>         A mapping FROM=TO (repeatable).
      --config <file>          A krm-mirror configuration file (Mirror kind or
                               ConfigMap).
      --leaks <policy>         Leftover references to a source domain:
                               ignore | warn | error (default warn).
      --text <bool>            Also rewrite hosts inside any string (true | false).
      --cluster-issuer <name>  cert-manager ClusterIssuer for mirrored resources.
      --secret-names <policy>  TLS secret names that embed a source domain:
                               keep | rename.
      --cover-rule-hosts <bool>
                               Add rewritten rule hosts no TLS entry covers to the
                               Ingress's TLS (true | false).
      --tag-scope <scope>      Which resources get tag annotations and labels:
                               changed | all.
      --tag-annotation <key=value>
                               An annotation for tagged resources (repeatable).
      --tag-label <key=value>  A label for tagged resources (repeatable).
      --verbose                Report every result on stderr in filter mode.
      --diff                   Print a unified diff of what would change (per
                               resource) instead of the output.
      --exit-code              With --diff: exit 0 when nothing changes, 1 when
                               something does, 2 when the run fails.
      --summary                Print a table of changes and leftovers on stderr.
      --results <file>         Write the results to FILE as a kpt
                               FunctionResultList (kustomize hides stderr).
      --version                Show the version.
      -h, --help               Show this help.

    MODES (detected):
      KRM function   stdin is one ResourceList (kpt, kustomize): config from
                     functionConfig (krm-mirror.dev/v1alpha1 Mirror, or a
                     ConfigMap with from/to), results appended.
      kustomize      the first argument is a krm-mirror config file (legacy
      exec plugin    exec plugin layout); stdin and stdout are YAML streams.
      filter         anything else: a multi-document YAML stream, one JSON
                     object or concatenated JSON objects (a kind: List is a
                     stream of its items), config from the options above.

    EXIT STATUS: 0 success; 1 malformed input, configuration error or an error
    result; 2 command-line usage error. Nothing is written to stdout unless the
    whole input parsed, except that a stream whose output passes 16 MiB is
    written as it is processed (memory stays flat); an error after that point
    leaves the documents before it on stdout and exits 1.

    EXAMPLES:
      kustomize build overlays/staging \\
        | krm-mirror --from staging.example.com --to mirror.example.com
      kpt fn eval pkg --exec krm-mirror -- from=staging.example.com to=mirror.example.com

    """
}
