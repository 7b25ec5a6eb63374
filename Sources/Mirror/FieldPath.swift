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

  /// Parses a path; nil when it is malformed (empty step, unclosed bracket).
  public init?(_ text: String) {
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
    while let character = iterator.next() {
      switch character {
      case ".":
        guard flushName() else { return nil }
        expectName = true
      case "[":
        guard flushName() else { return nil }
        var inner = ""
        var closed = false
        while let next = iterator.next() {
          if next == "]" {
            closed = true
            break
          }
          inner.append(next)
        }
        guard closed else { return nil }
        if inner.isEmpty {
          steps.append(.everyItem)
        } else if let index = Int(inner), index >= 0 {
          steps.append(.item(index))
        } else {
          steps.append(.key(inner))
        }
        expectName = false
      default:
        name.append(character)
      }
    }
    guard flushName(), !steps.isEmpty else { return nil }
    self.steps = steps
    self.description = text
  }

  /// `path.key`, or `path[key]` when the key holds `.`, `/` or brackets.
  public static func appending(key: String, to path: String) -> String {
    if key.utf8.contains(where: { $0 == 0x2E || $0 == 0x2F || $0 == 0x5B || $0 == 0x5D }) {
      return "\(path)[\(key)]"
    }
    return path.isEmpty ? key : "\(path).\(key)"
  }

  /// Every node the path reaches from `node`, with its concrete path
  /// (`spec.rules[1].host`, `metadata.annotations[a/b]`), in document order.
  /// Missing keys and type mismatches reach nothing. The concrete path is
  /// rendered only when asked for (most nodes are looked at, few are
  /// reported). Cost: O(nodes visited), no string building.
  public func resolve(in document: Document, from node: NodeID) -> [(NodeID, ConcretePath)] {
    var current: [(NodeID, ConcretePath)] = [(node, ConcretePath(steps: steps))]
    for step in steps {
      var next: [(NodeID, ConcretePath)] = []
      next.reserveCapacity(current.count)
      for (parent, path) in current {
        switch step {
        case .key(let key):
          guard let child = document.value(key, in: parent) else { continue }
          next.append((child, path))
        case .everyItem:
          guard document.kind(of: parent) == .sequence else { continue }
          for (index, child) in document.children(of: parent).enumerated() {
            var itemPath = path
            itemPath.append(index: index)
            next.append((child, itemPath))
          }
        case .item(let wanted):
          guard document.kind(of: parent) == .sequence else { continue }
          for (index, child) in document.children(of: parent).enumerated() where index == wanted {
            var itemPath = path
            itemPath.append(index: index)
            next.append((child, itemPath))
          }
        }
      }
      current = next
    }
    return current
  }
}

/// Where ``FieldPath/resolve(in:from:)`` found a node: the path's steps with
/// the sequence indices taken, rendered as text (`spec.rules[1].host`) only
/// on demand. Up to four indices below 65,535 are packed in one word; more
/// spill into an array.
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

  private func index(at position: Int) -> Int {
    spilled?[position] ?? Int((packed >> (16 * position)) & 0xFFFF)
  }

  /// Whether the path starts with the key `key` (`status`, …).
  public func starts(withKey key: String) -> Bool {
    steps.first == .key(key)
  }

  /// The path as text, keys with `.`, `/` or brackets in brackets.
  /// Cost: O(path length), a few allocations.
  public var description: String {
    var text = ""
    var position = 0
    for step in steps {
      switch step {
      case .key(let key):
        text = FieldPath.appending(key: key, to: text)
      case .everyItem, .item:
        text += "[\(index(at: position))]"
        position += 1
      }
    }
    return text
  }
}
