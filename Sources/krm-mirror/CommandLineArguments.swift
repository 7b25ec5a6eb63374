import Mirror

/// What the command line asks for: a run, the help text or the version.
///
/// Parsed by hand from a table of options: the set is small and fixed, and
/// a reflection-based parser cost a fifth of a one-app run's time and
/// linked FoundationEssentials into the static binary.
enum CommandLineArguments: Equatable {
  /// Process stdin with these options, and show what `Review` asks for.
  case run(Invocation, Review)
  /// Print ``Usage/help`` and exit 0.
  case help
  /// Print the version and exit 0.
  case version

  /// A command-line mistake: reported on stderr with exit status 2.
  struct UsageError: Error, Equatable {
    /// What is wrong, naming the argument.
    var message: String
  }

  /// How an option takes its value.
  private enum Option: Sendable {
    /// `--from`, `--to`, `--config`: one value, at most once.
    case single
    /// `--host`: one value per occurrence.
    case hostPair
    /// A `Mirror` setting by its ConfigMap key, at most once.
    case setting(String)
    /// `--tag-annotation`, `--tag-label`: KEY=VALUE, repeatable.
    case tag(String)
    /// `--verbose`: no value.
    case verbose
    /// `--diff`, `--exit-code`, `--summary`: review switches, no value.
    case reviewSwitch
    /// `--results FILE`.
    case resultsFile
  }

  private static let options: [String: Option] = [
    "from": .single, "to": .single, "config": .single,
    "host": .hostPair, "leaks": .setting("leaks"), "text": .setting("text"),
    "cluster-issuer": .setting("cluster-issuer"), "secret-names": .setting("secret-names"),
    "cover-rule-hosts": .setting("cover-rule-hosts"), "tag-scope": .setting("tag-scope"),
    "tag-annotation": .tag("tag-annotation"), "tag-label": .tag("tag-label"),
    "verbose": .verbose, "diff": .reviewSwitch, "exit-code": .reviewSwitch,
    "summary": .reviewSwitch, "results": .resultsFile,
  ]

  /// Parses `arguments` (without the program name). `--name value` and
  /// `--name=value` both work; `--` ends the options; one positional
  /// argument is the plugin configuration file. `--help`/`-h` and
  /// `--version` win over everything else. Cost: O(arguments).
  static func parse(_ arguments: [String]) throws(UsageError) -> CommandLineArguments {
    if arguments.contains(where: { $0 == "--help" || $0 == "-h" }) { return .help }
    if arguments.contains("--version") { return .version }
    var invocation = Invocation()
    var review = Review()
    var seen: Set<String> = []
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
        guard invocation.pluginConfigFile == nil else {
          throw UsageError(message: "unexpected argument '\(argument)'")
        }
        invocation.pluginConfigFile = argument
        continue
      }
      if argument == "--" {
        optionsEnded = true
        continue
      }
      let body = argument.dropFirst(argument.hasPrefix("--") ? 2 : 1)
      let name = String(body.prefix { $0 != "=" })
      let inlineValue = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
      guard argument.hasPrefix("--"), let option = options[name] else {
        throw UsageError(message: "unknown option '\(argument)'")
      }
      switch option {
      case .verbose, .reviewSwitch:
        guard inlineValue == nil else {
          throw UsageError(message: "--\(name) takes no value")
        }
        switch name {
        case "verbose": invocation.verbose = true
        case "diff": review.diff = true
        case "exit-code": review.exitCode = true
        default: review.summary = true
        }
        continue
      default: break
      }
      let value: String
      if let inlineValue {
        value = inlineValue
      } else if index < arguments.count, !arguments[index].hasPrefix("--") {
        value = arguments[index]
        index += 1
      } else {
        throw UsageError(message: "missing value for --\(name)")
      }
      switch option {
      case .resultsFile:
        guard review.resultsFile == nil else {
          throw UsageError(message: "--results given more than once")
        }
        review.resultsFile = value
      case .single, .setting:
        guard seen.insert(name).inserted else {
          throw UsageError(message: "--\(name) given more than once")
        }
        switch name {
        case "from": invocation.from = value
        case "to": invocation.to = value
        case "config": invocation.configFile = value
        default: invocation.settings.append((name, value))
        }
      case .hostPair:
        invocation.hostPairs.append(value)
      case .tag(let key):
        invocation.settings.append((key, value))
      case .verbose, .reviewSwitch:
        break
      }
    }
    if review.exitCode && !review.diff {
      throw UsageError(message: "--exit-code goes with --diff")
    }
    return .run(invocation, review)
  }
}
