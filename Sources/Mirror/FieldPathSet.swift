import YAMLSplice

/// Several field paths resolved together: steps they share are walked once,
/// and a mapping's entries are read once for all the keys wanted there.
///
/// A resource is looked up for about twenty paths (the kind's fields plus
/// fifteen host annotations that apply to every kind), most of them under
/// `metadata.annotations`; one at a time, that is sixty key searches per
/// resource. The paths form a trie; resolving walks the trie against the
/// document and reports what each path reaches, path by path in the order
/// given and, within a path, in document order — what resolving them one
/// after the other gives.
///
/// The trie is flat: branches, their key links and the keys' bytes are
/// plain arrays of numbers read in place, so a walk retains nothing.
struct FieldPathSet {
  /// One trie node: where its children and ends are in the flat arrays.
  private struct Branch {
    /// Key links of this branch: `keyLinks[keyStart..<keyStart + keyCount]`.
    var keyStart = 0
    var keyCount = 0
    /// The child reached through `[]`, or -1.
    var everyItem = -1
    /// `[n]` links: `itemLinks[itemStart..<itemStart + itemCount]`.
    var itemStart = 0
    var itemCount = 0
    /// Paths that end here: `ends[endStart..<endStart + endCount]`.
    var endStart = 0
    var endCount = 0
  }

  /// A child reached through a key: the key's bytes in `keyBytes`.
  private struct KeyLink {
    var offset: Int
    var length: Int
    var branch: Int
  }

  /// The paths, in the order results are reported.
  let paths: [FieldPath]
  private var branches: [Branch] = []
  private var keyLinks: [KeyLink] = []
  private var keyBytes: [UInt8] = []
  private var itemLinks: [(index: Int, branch: Int)] = []
  private var ends: [Int] = []

  init(_ paths: [FieldPath]) {
    self.paths = paths
    // Built as a nested trie first, then laid out flat.
    final class Node {
      var keys: [(key: [UInt8], node: Node)] = []
      var everyItem: Node?
      var items: [(index: Int, node: Node)] = []
      var ends: [Int] = []
    }
    let root = Node()
    for (pathIndex, path) in paths.enumerated() {
      var current = root
      for step in path.steps {
        switch step {
        case .key(let key):
          let bytes = Array(key.utf8)
          if let found = current.keys.first(where: { $0.key == bytes }) {
            current = found.node
          } else {
            let child = Node()
            current.keys.append((bytes, child))
            current = child
          }
        case .everyItem:
          if current.everyItem == nil { current.everyItem = Node() }
          current = current.everyItem ?? current
        case .item(let index):
          if let found = current.items.first(where: { $0.index == index }) {
            current = found.node
          } else {
            let child = Node()
            current.items.append((index, child))
            current = child
          }
        }
      }
      current.ends.append(pathIndex)
    }
    // Breadth-first layout: a node's index is known before its children's.
    var order = [root]
    var position = 0
    while position < order.count {
      let node = order[position]
      order += node.keys.map(\.node)
      if let every = node.everyItem { order.append(every) }
      order += node.items.map(\.node)
      position += 1
    }
    let index = Dictionary(
      uniqueKeysWithValues: order.enumerated().map { (ObjectIdentifier($0.element), $0.offset) })
    for node in order {
      var branch = Branch()
      branch.keyStart = keyLinks.count
      branch.keyCount = node.keys.count
      for (key, child) in node.keys {
        keyLinks.append(
          KeyLink(
            offset: keyBytes.count, length: key.count, branch: index[ObjectIdentifier(child)] ?? 0))
        keyBytes += key
      }
      branch.everyItem = node.everyItem.map { index[ObjectIdentifier($0)] ?? -1 } ?? -1
      branch.itemStart = itemLinks.count
      branch.itemCount = node.items.count
      for (item, child) in node.items {
        itemLinks.append((item, index[ObjectIdentifier(child)] ?? 0))
      }
      branch.endStart = ends.count
      branch.endCount = node.ends.count
      ends += node.ends
      branches.append(branch)
    }
  }

  /// Whether the set holds no path.
  var isEmpty: Bool { paths.isEmpty }

  /// Calls `body` with every node each path reaches from `node` and its
  /// concrete path: path by path in order, each path's nodes in document
  /// order. Cost: O(nodes visited + entries read × keys wanted there).
  func forEachNode(
    in document: Document, from node: NodeID, _ body: (NodeID, ConcretePath) -> Void
  ) {
    guard !paths.isEmpty else { return }
    var found: [(path: Int, node: NodeID, indices: [Int])] = []
    var indices: [Int] = []
    branches.withUnsafeBufferPointer { branches in
      keyLinks.withUnsafeBufferPointer { keyLinks in
        keyBytes.withUnsafeBufferPointer { keyBytes in
          itemLinks.withUnsafeBufferPointer { itemLinks in
            ends.withUnsafeBufferPointer { ends in
              let trie = Trie(
                branches: branches, keyLinks: keyLinks, keyBytes: keyBytes,
                itemLinks: itemLinks, ends: ends)
              trie.visit(0, node, document, &indices, &found)
            }
          }
        }
      }
    }
    if found.isEmpty { return }
    if paths.count > 1 && found.count > 1 {
      // By path, and within a path in the order found (document order).
      found = found.enumerated().sorted {
        ($0.element.path, $0.offset) < ($1.element.path, $1.offset)
      }.map(\.element)
    }
    for hit in found {
      var path = ConcretePath(steps: paths[hit.path].steps)
      for index in hit.indices { path.append(index: index) }
      body(hit.node, path)
    }
  }

  /// The flat arrays, borrowed for one walk.
  private struct Trie {
    let branches: UnsafeBufferPointer<Branch>
    let keyLinks: UnsafeBufferPointer<KeyLink>
    let keyBytes: UnsafeBufferPointer<UInt8>
    let itemLinks: UnsafeBufferPointer<(index: Int, branch: Int)>
    let ends: UnsafeBufferPointer<Int>

    func visit(
      _ branchIndex: Int, _ node: NodeID, _ document: Document, _ indices: inout [Int],
      _ found: inout [(path: Int, node: NodeID, indices: [Int])]
    ) {
      let branch = branches[branchIndex]
      for end in ends[branch.endStart..<branch.endStart + branch.endCount] {
        found.append((end, node, indices))
      }
      if branch.keyCount > 0 && document.kind(of: node) == .mapping {
        // Each key wanted here is looked up once: its first entry counts.
        var pending = branch.keyCount
        var matched = KeySet(count: branch.keyCount)
        var child = document.children(of: node).makeIterator()
        while pending > 0, let key = child.next(), let value = child.next() {
          guard document.kind(of: key) == .scalar else { continue }
          let length = document.valueLength(of: key)
          for offset in 0..<branch.keyCount {
            let link = keyLinks[branch.keyStart + offset]
            guard link.length == length, !matched.contains(offset),
              document.scalar(
                key,
                equals: UnsafeBufferPointer(rebasing: keyBytes[link.offset..<link.offset + length]))
            else { continue }
            matched.insert(offset)
            pending -= 1
            visit(link.branch, value, document, &indices, &found)
          }
        }
        // Keys the mapping has only through a merge key (`<<: {…}`).
        if pending > 0 && document.hasMergeKeys {
          for offset in 0..<branch.keyCount where !matched.contains(offset) {
            let link = keyLinks[branch.keyStart + offset]
            let key = String(
              decoding: UnsafeBufferPointer(
                rebasing: keyBytes[link.offset..<link.offset + link.length]), as: UTF8.self)
            if let value = document.value(key, in: node) {
              visit(link.branch, value, document, &indices, &found)
            }
          }
        }
      }
      guard branch.everyItem >= 0 || branch.itemCount > 0,
        document.kind(of: node) == .sequence
      else { return }
      var index = 0
      for child in document.children(of: node) {
        if branch.everyItem >= 0 {
          indices.append(index)
          visit(branch.everyItem, child, document, &indices, &found)
          indices.removeLast()
        }
        for link in itemLinks[branch.itemStart..<branch.itemStart + branch.itemCount]
        where link.index == index {
          indices.append(index)
          visit(link.branch, child, document, &indices, &found)
          indices.removeLast()
        }
        index += 1
      }
    }
  }
}

/// Which of a branch's keys were found: bits for the first 64, an array
/// beyond (user fields can add many keys at one place).
private struct KeySet {
  private var bits: UInt64 = 0
  private var more: [Bool]

  init(count: Int) { more = count > 64 ? [Bool](repeating: false, count: count - 64) : [] }

  func contains(_ offset: Int) -> Bool {
    offset < 64 ? bits & (1 << UInt64(offset)) != 0 : more[offset - 64]
  }

  mutating func insert(_ offset: Int) {
    if offset < 64 { bits |= 1 << UInt64(offset) } else { more[offset - 64] = true }
  }
}
