import KRM
import Mirror
import YAMLSplice

/// One input made ready for the mode a ``DrawnConfiguration`` names: the
/// bytes krm-mirror reads and the runner that reads them.
struct PreparedRun {
  /// What a refused configuration came out as.
  enum Refusal {
    /// The configuration is accepted.
    case accepted
    /// Refused, and the run failed as it must.
    case clean
    /// Refused, and the run broke the property: the message says how.
    case broken(String)
  }

  let configuration: DrawnConfiguration
  /// The bytes krm-mirror reads: the input, or in KRM mode a ResourceList
  /// holding its documents as items.
  let input: [UInt8]
  let runner: Runner
  /// KRM mode with an input that is a ResourceList already: it runs with
  /// its own `functionConfig`, not the drawn one.
  let usesOwnConfig: Bool

  init(input: [UInt8], configuration: DrawnConfiguration) {
    self.configuration = configuration
    switch configuration.mode {
    case .filter:
      self.input = input
      runner = Runner(invocation: configuration.invocation, readFile: { _ in nil })
      usesOwnConfig = false
    case .plugin:
      self.input = input
      let file = Array(configuration.json.utf8)
      runner = Runner(
        invocation: configuration.invocation,
        readFile: { $0 == DrawnConfiguration.configFileName ? file : nil })
      usesOwnConfig = false
    case .krm:
      let wrapped = Self.resourceList(holding: input, functionConfig: configuration.json)
      self.input = wrapped ?? input
      runner = Runner(invocation: Invocation(), readFile: { _ in nil })
      usesOwnConfig = wrapped == nil
    }
  }

  /// Whether the configuration is refused, and if so whether the run over
  /// the input failed as it must (see
  /// ``MirrorProperties/violation(in:configuration:checks:)``).
  func refusal() -> Refusal {
    switch configuration.mode {
    case .filter, .plugin:
      guard runner.run(input: []).status != .success else { return .accepted }
      let outcome = runner.run(input: input)
      if configuration.mode == .filter {
        if outcome.status == .success || !outcome.stdout.isEmpty
          || !outcome.stderr.hasPrefix("krm-mirror: ")
        {
          return .broken("refused flags must fail with a message and nothing on stdout")
        }
      } else if outcome.status != .failure || !outcome.stdout.isEmpty
        || !outcome.stderr.hasPrefix(DrawnConfiguration.configFileName + ":")
      {
        return .broken(
          "a refused configuration file must fail with a positioned error, exit 1, nothing on stdout"
        )
      }
      return .clean
    case .krm:
      guard !usesOwnConfig else { return .accepted }
      let probe = Array(
        (#"{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [], "functionConfig": "#
          + configuration.json + "}\n").utf8)
      guard runner.run(input: probe).status != .success else { return .accepted }
      let outcome = runner.run(input: input)
      guard outcome.status == .failure,
        let documents = try? StreamParser.parse(outcome.stdout), documents.count == 1,
        let list = ResourceList(documents[0]),
        list.document.value("results", in: list.root) != nil
      else {
        return .broken("a refused functionConfig must fail with exit 1 and results in the list")
      }
      return .clean
    }
  }

  /// A ResourceList whose items are the documents of `input` and whose
  /// `functionConfig` is `functionConfig` (one line of JSON); JSON when the
  /// input is JSON. Nil when the input does not parse, is a ResourceList
  /// already, or its documents cannot be made items.
  static func resourceList(holding input: [UInt8], functionConfig: String) -> [UInt8]? {
    guard let documents = try? StreamParser.parse(input) else { return nil }
    if documents.count == 1 && ResourceList(documents[0]) != nil { return nil }
    let roots = documents.map { Array($0.source[$0.span(of: $0.root)]) }
    var out: [UInt8]
    if StrictJSON.isValueSequence(input) == true {
      out = Array(
        #"{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": ["#.utf8)
      for (index, root) in roots.enumerated() {
        if index > 0 { out += Array(", ".utf8) }
        out += root
      }
      out += Array(#"], "functionConfig": "#.utf8) + Array(functionConfig.utf8) + Array("}\n".utf8)
    } else {
      out = Array("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig: ".utf8)
      out += Array(functionConfig.utf8) + Array("\nitems:\n".utf8)
      for root in roots {
        // The item's lines, two columns further in.
        var lineStart = true
        var first = true
        for byte in root {
          if lineStart && byte != 0x0A && byte != 0x0D {
            out += first ? Array("- ".utf8) : Array("  ".utf8)
            first = false
          }
          lineStart = byte == 0x0A
          out.append(byte)
        }
        if first { out += Array("- ".utf8) }
        if !lineStart { out.append(0x0A) }
      }
    }
    guard let wrapped = try? StreamParser.parse(out), wrapped.count == 1,
      let list = ResourceList(wrapped[0]), list.items.count == documents.count
    else { return nil }
    return out
  }
}
