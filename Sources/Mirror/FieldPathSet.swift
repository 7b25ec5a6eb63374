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
struct FieldPathSet {
  private struct Branch {
    /// Children reached through a mapping key: the key's bytes and the branch.
    var keys: [(key: [UInt8], branch: Int)] = []
    /// The child reached through `[]`, or -1.
    var everyItem = -1
    /// Children reached through `[n]`.
    var items: [(index: Int, branch: Int)] = []
    /// Paths that end here.
    var ends: [Int] = []
  }

  /// The paths, in the order results are reported.
  let paths: [FieldPath]
  private var branches: [Branch] = [Branch()]

  init(_ paths: [FieldPath]) {
    self.paths = paths
    for (pathIndex, path) in paths.enumerated() {
      var current = 0
      for step in path.steps {
        switch step {
        case .key(let key):
          let bytes = Array(key.utf8)
          if let found = branches[current].keys.first(where: { $0.key == bytes }) {
            current = found.branch
          } else {
            branches.append(Branch())
            branches[current].keys.append((bytes, branches.count - 1))
            current = branches.count - 1
          }
        case .everyItem:
          if branches[current].everyItem < 0 {
            branches.append(Branch())
            branches[current].everyItem = branches.count - 1
          }
          current = branches[current].everyItem
        case .item(let index):
          if let found = branches[current].items.first(where: { $0.index == index }) {
            current = found.branch
          } else {
            branches.append(Branch())
            branches[current].items.append((index, branches.count - 1))
            current = branches.count - 1
          }
        }
      }
      branches[current].ends.append(pathIndex)
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
    visit(0, node, document, &indices, &found)
    if paths.count > 1 { found.sort { $0.path < $1.path } }
    for hit in found {
      var path = ConcretePath(steps: paths[hit.path].steps)
      for index in hit.indices { path.append(index: index) }
      body(hit.node, path)
    }
  }

  private func visit(
    _ branchIndex: Int, _ node: NodeID, _ document: Document, _ indices: inout [Int],
    _ found: inout [(path: Int, node: NodeID, indices: [Int])]
  ) {
    let branch = branches[branchIndex]
    for end in branch.ends { found.append((end, node, indices)) }
    if !branch.keys.isEmpty && document.kind(of: node) == .mapping {
      // Each key wanted here is looked up once: its first entry counts.
      var pending = branch.keys.count
      var matched = KeySet(count: branch.keys.count)
      var child = document.children(of: node).makeIterator()
      while pending > 0, let key = child.next(), let value = child.next() {
        guard document.kind(of: key) == .scalar else { continue }
        let length = document.valueLength(of: key)
        for (offset, wanted) in branch.keys.enumerated()
        where wanted.key.count == length && !matched.contains(offset)
          && wanted.key.withUnsafeBufferPointer({ document.scalar(key, equals: $0) })
        {
          matched.insert(offset)
          pending -= 1
          visit(wanted.branch, value, document, &indices, &found)
        }
      }
    }
    if (branch.everyItem >= 0 || !branch.items.isEmpty) && document.kind(of: node) == .sequence {
      var index = 0
      for child in document.children(of: node) {
        if branch.everyItem >= 0 {
          indices.append(index)
          visit(branch.everyItem, child, document, &indices, &found)
          indices.removeLast()
        }
        for item in branch.items where item.index == index {
          indices.append(index)
          visit(item.branch, child, document, &indices, &found)
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
