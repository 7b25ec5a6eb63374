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
  /// Missing keys and type mismatches reach nothing. Cost: O(nodes visited).
  public func resolve(in document: Document, from node: NodeID) -> [(NodeID, String)] {
    var current: [(NodeID, String)] = [(node, "")]
    for step in steps {
      var next: [(NodeID, String)] = []
      for (parent, path) in current {
        switch step {
        case .key(let key):
          guard let child = document.value(key, in: parent) else { continue }
          next.append((child, Self.appending(key: key, to: path)))
        case .everyItem:
          guard document.kind(of: parent) == .sequence else { continue }
          for (index, child) in document.children(of: parent).enumerated() {
            next.append((child, "\(path)[\(index)]"))
          }
        case .item(let wanted):
          guard document.kind(of: parent) == .sequence else { continue }
          for (index, child) in document.children(of: parent).enumerated() where index == wanted {
            next.append((child, "\(path)[\(index)]"))
          }
        }
      }
      current = next
    }
    return current
  }
}
