public import YAMLSplice

/// A path to fields inside a resource: `spec.rules[].host` (`[]` = every
/// item), `spec.tls[0].hosts[]` (one index), `metadata.annotations[a.b/c]`
/// (a key that holds dots or slashes).
public struct FieldPath: Equatable, Hashable, Sendable, CustomStringConvertible {
  /// One step of a path.
  public enum Step: Equatable, Hashable, Sendable {
    /// A mapping key.
    case key(String)
    /// Every item of a sequence.
    case everyItem
    /// One item of a sequence.
    case item(Int)
  }

  /// The steps, in order.
  public let steps: [Step]
  /// The path as written.
  public let description: String

  /// The syntax a path may use, for messages.
  public static let syntax =
    "keys joined by dots (spec.rules), [] for every item of a list, [N] for item N, [key] for one key holding dots or slashes (metadata.annotations[example.com/url])"

  /// Parses a path; nil when it is malformed (see ``init(parsing:)``).
  public init?(_ text: String) {
    guard let path = try? FieldPath(parsing: text) else { return nil }
    self = path
  }

  /// Parses a path, or says what is wrong with it. Supported: keys of
  /// letters, digits, `-` and `_` joined by dots; `[]` (every item); `[N]`
  /// (one item); `[key]`, a key of letters, digits, `-`, `_`, `.` and `/`
  /// that starts with a letter or digit (annotation and label keys). Anything else, such as a selector by
  /// value (`containers[name=web]`) or a wildcard, is refused rather than
  /// read as a key that never matches.
  public init(parsing text: String) throws(FieldPathError) {
    var steps: [Step] = []
    var name = ""
    var iterator = Array(text).makeIterator()
    var expectName = true
    func flushName() -> Bool {
      if name.isEmpty { return !expectName }
      steps.append(.key(name))
      name = ""
      expectName = false
      return true
    }
    func isNameCharacter(_ character: Character) -> Bool {
      character.isASCII && (character.isLetter || character.isNumber || "-_".contains(character))
    }
    while let character = iterator.next() {
      switch character {
      case ".":
        guard flushName() else { throw FieldPathError("an empty step") }
        expectName = true
      case "[":
        guard flushName() else { throw FieldPathError("an empty step before [") }
        var inner = ""
        var closed = false
        while let next = iterator.next() {
          if next == "]" {
            closed = true
            break
          }
          inner.append(next)
        }
        guard closed else { throw FieldPathError("[ without ]") }
        if inner.isEmpty {
          steps.append(.everyItem)
        } else if inner.allSatisfy(\.isASCII), inner.allSatisfy(\.isNumber), let index = Int(inner)
        {
          steps.append(.item(index))
        } else if inner.first.map({ $0.isASCII && ($0.isLetter || $0.isNumber) }) ?? false,
          inner.allSatisfy({ isNameCharacter($0) || $0 == "." || $0 == "/" })
        {
          steps.append(.key(inner))
        } else {
          throw FieldPathError(
            inner.contains("=") || inner.contains("?") || inner.contains("@")
              ? "[\(inner)] selects items by value, which paths do not support"
              : "[\(inner)] is neither an index nor a key")
        }
        expectName = false
      default:
        guard isNameCharacter(character) else {
          throw FieldPathError("\"\(character)\" cannot appear in a key outside brackets")
        }
        name.append(character)
      }
    }
    guard flushName() else { throw FieldPathError("an empty step at the end") }
    guard !steps.isEmpty else { throw FieldPathError("an empty path") }
    self.steps = steps
    self.description = text
  }

  /// Whether the path starts with the key `key` (`status`, …).
  public func startsWithKey(_ key: String) -> Bool { steps.first == .key(key) }

  /// `path.key`, or `path[key]` when the key holds `.`, `/` or brackets.
  public static func appending(key: String, to path: String) -> String {
    var bytes = Array(path.utf8)
    var key = key
    key.withUTF8 { appendKey($0, to: &bytes, pathStart: 0) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `key` to the path written in `out` from `pathStart` on:
  /// `.key`, `[key]` when the key holds `.`, `/` or brackets, or just `key`
  /// when the path is still empty.
  static func appendKey(_ key: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], pathStart: Int) {
    if key.contains(where: { $0 == 0x2E || $0 == 0x2F || $0 == 0x5B || $0 == 0x5D }) {
      out.append(UInt8(ascii: "["))
      out.append(contentsOf: key)
      out.append(UInt8(ascii: "]"))
      return
    }
    if out.count > pathStart { out.append(UInt8(ascii: ".")) }
    out.append(contentsOf: key)
  }

  /// Appends `[index]` to a path being written.
  static func appendIndex(_ index: Int, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "["))
    if index < 10 {
      out.append(UInt8(ascii: "0") + UInt8(index))
    } else {
      out.append(contentsOf: String(index).utf8)
    }
    out.append(UInt8(ascii: "]"))
  }

  /// Calls `body` with every node the path reaches from `node` and its
  /// concrete path (`spec.rules[1].host`, `metadata.annotations[a/b]`), in
  /// document order. Missing keys and type mismatches reach nothing. The
  /// concrete path is rendered only when asked for (most nodes are looked
  /// at, few are reported). Cost: O(nodes visited), no allocation.
  public func forEachNode(
    in document: Document, from node: NodeID, _ body: (NodeID, ConcretePath) -> Void
  ) {
    var path = ConcretePath(steps: steps)
    visit(step: 0, node, in: document, path: &path, body)
  }

  private func visit(
    step: Int, _ node: NodeID, in document: Document, path: inout ConcretePath,
    _ body: (NodeID, ConcretePath) -> Void
  ) {
    guard step < steps.count else {
      body(node, path)
      return
    }
    switch steps[step] {
    case .key(let key):
      if let child = document.value(key, in: node) {
        visit(step: step + 1, child, in: document, path: &path, body)
      }
    case .everyItem, .item:
      guard document.kind(of: node) == .sequence else { return }
      var wanted = -1
      if case .item(let index) = steps[step] { wanted = index }
      var index = 0
      for child in document.children(of: node) {
        if wanted < 0 || index == wanted {
          path.append(index: index)
          visit(step: step + 1, child, in: document, path: &path, body)
          path.removeLast()
        }
        index += 1
      }
    }
  }

  /// Every node the path reaches from `node`, with its concrete path, in
  /// document order (``forEachNode(in:from:_:)`` collected).
  public func resolve(in document: Document, from node: NodeID) -> [(NodeID, ConcretePath)] {
    var found: [(NodeID, ConcretePath)] = []
    forEachNode(in: document, from: node) { found.append(($0, $1)) }
    return found
  }
}

/// Where ``FieldPath/forEachNode(in:from:_:)`` found a node: the path's
/// steps with the sequence indices taken, rendered as text
/// (`spec.rules[1].host`) only on demand. Up to four indices below 65,535
/// are packed in one word; more spill into an array.
public struct ConcretePath: CustomStringConvertible, Sendable {
  let steps: [FieldPath.Step]
  private var packed: UInt64 = 0
  private var count = 0
  private var spilled: [Int]?

  init(steps: [FieldPath.Step]) {
    self.steps = steps
  }

  /// Records the index taken at the next `[]` or `[n]` step.
  mutating func append(index: Int) {
    if spilled == nil && count < 4 && index < 0xFFFF {
      packed |= UInt64(index) << (16 * count)
    } else {
      if spilled == nil { spilled = (0..<count).map(self.index(at:)) }
      spilled?.append(index)
    }
    count += 1
  }

  /// Forgets the last index recorded.
  mutating func removeLast() {
    count -= 1
    if spilled != nil {
      spilled?.removeLast()
    } else {
      packed &= ~(UInt64(0xFFFF) << (16 * count))
    }
  }

  private func index(at position: Int) -> Int {
    spilled?[position] ?? Int((packed >> (16 * position)) & 0xFFFF)
  }

  /// Whether the path starts with the key `key` (`status`, …).
  public func starts(withKey key: String) -> Bool {
    steps.first == .key(key)
  }

  /// Appends the path as text to `out`, keys with `.`, `/` or brackets in
  /// brackets. Cost: O(path length), no allocation beyond `out`'s growth.
  public func write(into out: inout [UInt8]) {
    let pathStart = out.count
    var position = 0
    for step in steps {
      switch step {
      case .key(var key):
        key.withUTF8 { FieldPath.appendKey($0, to: &out, pathStart: pathStart) }
      case .everyItem, .item:
        FieldPath.appendIndex(index(at: position), to: &out)
        position += 1
      }
    }
  }

  /// The path as text (``write(into:)``).
  public var description: String {
    var bytes: [UInt8] = []
    write(into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// What is wrong with a field path's text.
public struct FieldPathError: Error, Equatable, Sendable {
  /// The problem, without the supported syntax (``FieldPath/syntax``).
  public var message: String

  /// Creates the error.
  public init(_ message: String) { self.message = message }
}
