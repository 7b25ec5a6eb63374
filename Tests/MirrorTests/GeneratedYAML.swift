/// A deterministic generator of YAML streams for property tests: random
/// nesting of block and flow collections, every scalar style, comments in
/// legal places, anchors and aliases, CRLF, a BOM, multi-byte text, markers,
/// and Ingress-shaped documents whose hosts the mirror rewrites.
struct GeneratedYAML {
  private var state: UInt64
  private var anchors: [String] = []
  private var anchorCount = 0

  init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

  /// SplitMix64.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
  mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

  static let words = [
    "alpha", "beta", "gamma", "déploiement", "日本", "emoji😀", "x_y", "v1", "path/to",
  ]
  static let hosts = [
    "app.staging.mycompany.com", "api.staging.mycompany.com", "*.staging.mycompany.com",
    "staging.mycompany.com", "notstaging.mycompany.com", "staging.mycompany.com.evil.io",
    "www.example.org", "x-staging.mycompany.com",
  ]

  /// A whole stream: documents, markers, line breaks and an optional BOM.
  mutating func stream() -> [UInt8] {
    var text = ""
    let count = 1 + below(3)
    for index in 0..<count {
      if index > 0 || chance(30) { text += chance(20) ? "--- # doc \(index)\n" : "---\n" }
      if chance(20) { text += "# comment before a document\n" }
      text += chance(60) ? ingress() : mapping(indent: 0, depth: 0)
      if chance(15) { text += "...\n" }
    }
    if chance(25) { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
    var bytes = Array(text.utf8)
    if chance(15) { bytes = [0xEF, 0xBB, 0xBF] + bytes }
    anchors = []
    return bytes
  }

  mutating func ingress() -> String {
    var text =
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\(below(100))\n"
    switch below(3) {
    case 0: text += "  annotations:\n    note: \(scalar(flow: false))\n"
    case 1: text += "  annotations: {note: \(scalar(flow: true))}\n"
    default: break
    }
    text += "spec:\n"
    if chance(70) {
      text += "  tls:\n  - hosts:\n"
      for _ in 0..<(1 + below(2)) { text += "    - \(hostToken(flow: false))\n" }
    }
    text += "  rules:\n"
    for _ in 0..<(1 + below(3)) {
      text += "  - host: \(hostToken(flow: false))\(chance(30) ? "  # rule" : "")\n"
      if chance(40) { text += "    extra:\n" + mapping(indent: 6, depth: 2) }
    }
    return text
  }

  mutating func hostToken(flow: Bool) -> String {
    let host = pick(Self.hosts)
    switch below(4) {
    case 0: return "'\(host)'"
    case 1: return "\"\(host)\""
    default: return host.hasPrefix("*") ? "\"\(host)\"" : host
    }
  }

  mutating func key() -> String { "k\(below(1000))" }

  /// A block mapping at `indent`, each entry on its own line.
  mutating func mapping(indent: Int, depth: Int) -> String {
    let pad = String(repeating: " ", count: indent)
    var text = ""
    var used: Set<String> = []
    for _ in 0..<(1 + below(3)) {
      var name = key()
      while used.contains(name) { name = key() }
      used.insert(name)
      if chance(15) { text += "\(pad)# between entries\n" }
      text += "\(pad)\(name):" + value(indent: indent, depth: depth)
    }
    return text
  }

  /// The part after `key:`, ending with a line break.
  mutating func value(indent: Int, depth: Int) -> String {
    let nested = depth < 4
    switch below(nested ? 8 : 4) {
    case 0: return " \(scalar(flow: false))\(chance(20) ? " # trailing" : "")\n"
    case 1: return " \(blockScalar(indent: indent + 2))"
    case 2: return " \(flowCollection(depth: depth))\n"
    case 3: return anchorOrAlias(indent: indent)
    case 4, 5: return "\n" + mapping(indent: indent + 2, depth: depth + 1)
    default:
      let dash = chance(50) ? indent : indent + 2
      var text = "\n"
      for _ in 0..<(1 + below(3)) {
        text += String(repeating: " ", count: dash) + "- \(scalar(flow: false))\n"
      }
      return text
    }
  }

  mutating func anchorOrAlias(indent: Int) -> String {
    if !anchors.isEmpty && chance(50) { return " *\(pick(anchors))\n" }
    anchorCount += 1
    let name = "a\(anchorCount)"
    anchors.append(name)
    return " &\(name) \(scalar(flow: false))\n"
  }

  mutating func scalar(flow: Bool) -> String {
    let word = chance(30) ? pick(Self.hosts) : pick(Self.words)
    switch below(4) {
    case 0: return "'\(word)''s'"
    case 1: return "\"\(word)\\t\\u00e9\""
    case 2: return "\"\(word)\""
    default: return word.hasPrefix("*") ? "'\(word)'" : word
    }
  }

  mutating func blockScalar(indent: Int) -> String {
    let pad = String(repeating: " ", count: indent)
    let header = pick(["|", ">", "|-", ">+", "|+"])
    var text = "\(header)\(chance(20) ? " # header" : "")\n"
    for _ in 0..<(1 + below(3)) { text += "\(pad)\(pick(Self.words)) \(pick(Self.hosts))\n" }
    if chance(40) { text += "\n" }
    return text
  }

  mutating func flowCollection(depth: Int) -> String {
    if chance(50) {
      let items = (0..<below(3)).map { _ in scalar(flow: true) }
      return "[" + items.joined(separator: ", ") + "]"
    }
    var used: Set<String> = []
    var entries: [String] = []
    for _ in 0..<below(3) {
      let name = key()
      if used.insert(name).inserted { entries.append("\(name): \(scalar(flow: true))") }
    }
    return "{" + entries.joined(separator: ", ") + "}"
  }
}
