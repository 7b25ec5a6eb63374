public import Mirror

/// A run configuration drawn from a few bytes: the mode krm-mirror is
/// invoked in and everything the configuration can say, so that the fuzzer
/// and the property tests explore options, not only inputs.
///
/// The fuzzer reads the bytes from the input's last line when it starts
/// with ``marker`` (`#~…`; the line is not part of the input then), else
/// from the input's length. The same bytes always give the same
/// configuration. Some drawn configurations are refused by the product
/// (`from == to`, an invalid tag); that is a property to check too.
public struct DrawnConfiguration: Sendable, CustomStringConvertible {
  /// How krm-mirror is invoked.
  public enum Mode: String, Sendable, CaseIterable {
    /// Stdin filter with flags.
    case filter
    /// KRM function: a ResourceList whose `functionConfig` is the
    /// configuration (the input's documents become its items).
    case krm
    /// kustomize's legacy exec plugin: the configuration is a file named
    /// by the first argument.
    case plugin
  }

  /// The domains mappings are drawn from: the ones the seeds contain,
  /// parents and children of each other, so that mappings overlap, chain
  /// and put a target under a source.
  public static let domains = [
    "staging.mycompany.com", "mycompany.com", "mirror.mycompany.com", "example.com",
    "example.org", "staging.example.com", "api.staging.example.com", "mirror.example.net",
  ]

  /// The line prefix that carries the configuration bytes in a fuzz input.
  public static let marker: [UInt8] = Array("#~".utf8)

  /// The name the configuration file has in plugin mode.
  public static let configFileName = "fuzz-config.yaml"

  /// The mode.
  public var mode: Mode
  /// The mappings, `from` and `to`.
  public var mappings: [(from: String, to: String)]
  /// `text`.
  public var text = false
  /// `leaks`.
  public var leaks = "warn"
  /// `secretNames`.
  public var secretNames = "keep"
  /// `clusterIssuer`, empty for none.
  public var clusterIssuer = ""
  /// `coverRuleHosts`.
  public var coverRuleHosts = true
  /// `tag.scope`.
  public var tagScope = "changed"
  /// `tag.labels`.
  public var tagLabels: [(String, String)] = []
  /// `tag.annotations`.
  public var tagAnnotations: [(String, String)] = []
  /// `selectors`, as JSON objects (KRM and plugin modes only: there are no
  /// selector flags).
  public var selectors: [String] = []
  /// `exclude`, as JSON objects.
  public var exclude: [String] = []
  /// In KRM mode: the ConfigMap form (`data`) instead of the typed kind.
  public var configMapForm = false

  /// The configuration `bytes` choose, in `mode` when given (the property
  /// tests run every mode). Cost: O(bytes).
  public init(drawingFrom bytes: some Sequence<UInt8>, mode forcedMode: Mode? = nil) {
    // FNV-1a, then SplitMix64: any change of the bytes draws anew.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    var random = SplitMix64(state: hash)
    let drawnMode = Mode.allCases[random.below(Mode.allCases.count)]
    mode = forcedMode ?? drawnMode
    mappings = []
    for _ in 0..<(1 + random.below(3)) {
      let from = Self.domains[random.below(Self.domains.count)]
      var to = Self.domains[random.below(Self.domains.count)]
      // `from == to` is refused; keep a little of it, for that path.
      if to == from && random.below(8) != 0 { to = "mirror-" + from }
      mappings.append((from, to))
    }
    text = random.below(2) == 0
    leaks = ["warn", "warn", "warn", "ignore", "ignore", "error"][random.below(6)]
    secretNames = random.below(2) == 0 ? "rename" : "keep"
    clusterIssuer = random.below(3) == 0 ? "le-staging" : ""
    coverRuleHosts = random.below(4) != 0
    tagScope = random.below(2) == 0 ? "all" : "changed"
    let labels = [("env", "mirror"), ("app", "mirror"), ("mirror.example.org/copy", "true")]
    for label in labels where random.below(3) == 0 { tagLabels.append(label) }
    if random.below(20) == 0 { tagLabels.append(("bad key", "x")) }
    let annotations = [("mirror.example.org/note", "copied: yes"), ("team", "platform")]
    for annotation in annotations where random.below(3) == 0 {
      tagAnnotations.append(annotation)
    }
    let selectorChoices = [
      #"{"kind": "Ingress"}"#, #"{"kind": "Secret"}"#, #"{"kind": "Deployment"}"#,
      #"{"labels": {"app": "web"}}"#, #"{"name": "web"}"#, #"{"namespace": "prod"}"#,
      #"{"apiVersion": "networking.k8s.io/v1"}"#,
    ]
    if mode != .filter {
      if random.below(3) == 0 {
        selectors.append(selectorChoices[random.below(selectorChoices.count)])
        if random.below(2) == 0 {
          selectors.append(selectorChoices[random.below(selectorChoices.count)])
        }
      }
      if random.below(4) == 0 {
        exclude.append(selectorChoices[random.below(selectorChoices.count)])
      }
    }
    configMapForm = mode == .krm && random.below(5) == 0
  }

  /// The command line: flags in filter mode, the file argument in plugin
  /// mode, nothing in KRM mode.
  public var invocation: Invocation {
    switch mode {
    case .krm: return Invocation()
    case .plugin: return Invocation(pluginConfigFile: Self.configFileName)
    case .filter:
      var settings: [(String, String)] = [
        ("leaks", leaks), ("text", String(text)), ("secret-names", secretNames),
        ("cover-rule-hosts", String(coverRuleHosts)), ("tag-scope", tagScope),
      ]
      if !clusterIssuer.isEmpty { settings.append(("cluster-issuer", clusterIssuer)) }
      settings += tagLabels.map { ("tag-label", "\($0.0)=\($0.1)") }
      settings += tagAnnotations.map { ("tag-annotation", "\($0.0)=\($0.1)") }
      return Invocation(hostPairs: mappings.map { "\($0.from)=\($0.to)" }, settings: settings)
    }
  }

  /// The configuration as one line of JSON (which YAML reads too): the
  /// typed `Mirror` kind, or in the ConfigMap form its `data` keys.
  public var json: String {
    func quoted(_ text: String) -> String {
      var out = "\""
      for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default: out.unicodeScalars.append(scalar)
        }
      }
      return out + "\""
    }
    func object(_ pairs: [(String, String)]) -> String {
      "{" + pairs.map { "\(quoted($0.0)): \(quoted($0.1))" }.joined(separator: ", ") + "}"
    }
    if configMapForm {
      var data = [
        ("hosts", mappings.map { "\($0.from)=\($0.to)" }.joined(separator: ",")),
        ("leaks", leaks), ("text", String(text)), ("secret-names", secretNames),
        ("cover-rule-hosts", String(coverRuleHosts)), ("tag-scope", tagScope),
      ]
      if !clusterIssuer.isEmpty { data.append(("cluster-issuer", clusterIssuer)) }
      return
        #"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "function-input"}, "data": "#
        + object(data) + "}"
    }
    let hosts = mappings.map { #"{"from": \#(quoted($0.from)), "to": \#(quoted($0.to))}"# }
    return
      #"{"apiVersion": "krm-mirror.dev/v1alpha1", "kind": "Mirror", "metadata": {"name": "fuzz"}, "spec": {"#
      + #""hosts": [\#(hosts.joined(separator: ", "))], "#
      + #""tls": {"coverRuleHosts": \#(coverRuleHosts), "secretNames": \#(quoted(secretNames)), "clusterIssuer": \#(quoted(clusterIssuer))}, "#
      + #""tag": {"annotations": \#(object(tagAnnotations)), "labels": \#(object(tagLabels)), "scope": \#(quoted(tagScope))}, "#
      + #""text": \#(text), "leaks": \#(quoted(leaks)), "#
      + #""selectors": [\#(selectors.joined(separator: ", "))], "exclude": [\#(exclude.joined(separator: ", "))]}}"#
  }

  /// The source domains of the mappings.
  public var sources: [String] { mappings.map(\.from) }

  /// One line for messages.
  public var description: String {
    mode == .filter ? "filter \(invocation.hostPairs) \(invocation.settings)" : "\(mode) \(json)"
  }

  /// Splits a fuzz input into the input proper and the bytes that draw its
  /// configuration: its last line when that starts with ``marker``, else
  /// the input's length.
  public static func split(_ input: [UInt8]) -> (payload: [UInt8], drawing: [UInt8]) {
    var lineStart = input.count
    while lineStart > 0 && input[lineStart - 1] != 0x0A { lineStart -= 1 }
    if input[lineStart...].starts(with: marker) {
      return (Array(input[..<lineStart]), Array(input[(lineStart + marker.count)...]))
    }
    var length = UInt64(input.count)
    return (input, withUnsafeBytes(of: &length) { Array($0) })
  }
}

/// A small, fast pseudo-random generator (SplitMix64): the same state gives
/// the same draws on every platform.
struct SplitMix64 {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// A number in `0..<bound`.
  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
