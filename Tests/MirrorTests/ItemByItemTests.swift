import Foundation
import KRM
import TestSupport
import Testing
import YAMLSplice

@testable import Mirror

/// A ResourceList in the kpt layout is processed item by item, with the
/// configuration read ahead from its region; whatever the layout, the bytes
/// out must be those of the general path (whole-document table).
struct ItemByItemTests {
  static func run(
    _ input: [UInt8], itemByItem: Bool, inParts: Bool = false, partSize: Int = 1 << 20
  ) -> Outcome {
    var runner = Runner(invocation: Invocation(), readFile: { _ in nil })
    runner.processesItemByItem = itemByItem
    runner.partsThreshold = inParts ? 0 : nil
    runner.listPartSize = partSize
    return runner.run(input: input)
  }

  static let lists: [URL] =
    Fixtures.files(
      under: Fixtures.directory(of: #filePath).appendingPathComponent("Fixtures"),
      suffixes: [".yaml"]
    ).filter { url in
      Fixtures.bytes(at: url).map { String(decoding: $0, as: UTF8.self).contains("ResourceList") }
        ?? false
    }

  /// Layouts the read-ahead must get right or decline: functionConfig
  /// first, flow items, JSON, two configurations, a guess fooled by a
  /// block scalar, items not a sequence, a second document.
  static let variants: [String] = [
    """
    apiVersion: config.kubernetes.io/v1
    kind: ResourceList
    functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {from: a.example.com, to: b.example.com}}
    items:
    - apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: w}
      spec: {rules: [{host: w.a.example.com}]}

    """,
    """
    apiVersion: config.kubernetes.io/v1
    kind: ResourceList
    items: [{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: w}, spec: {rules: [{host: w.a.example.com}]}}]
    functionConfig:
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: c}
      data: {from: a.example.com, to: b.example.com}

    """,
    """
    {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "w"}, "spec": {"rules": [{"host": "w.a.example.com"}]}}],
    "functionConfig": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"from": "a.example.com", "to": "b.example.com"}}}

    """,
    """
    apiVersion: config.kubernetes.io/v1
    kind: ResourceList
    items:
    - apiVersion: v1
      kind: ConfigMap
      metadata: {name: text}
      data:
        notes: |
          functionConfig: {apiVersion: v1, kind: ConfigMap, data: {from: x.example.com, to: y.example.com}}
    - apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: w}
      spec: {rules: [{host: w.a.example.com}]}
    functionConfig:
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: c}
      data: {from: a.example.com, to: b.example.com}

    """,
    """
    apiVersion: config.kubernetes.io/v1
    kind: ResourceList
    items:
    - apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: w}
      spec: {rules: [{host: w.a.example.com}]}
    functionConfig:
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: c}
      data: {from: a.example.com, to: b.example.com}
    functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: d}, data: {from: a.example.com, to: c.example.com}}

    """,
    """
    apiVersion: config.kubernetes.io/v1
    kind: ResourceList
    items: 3
    functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {from: a.example.com, to: b.example.com}}

    """,
    """
    kind: ResourceList
    items:
    - kind: Ingress
      apiVersion: networking.k8s.io/v1
      metadata: {name: w}
      spec: {rules: [{host: w.a.example.com}]}
    - scalar item
    - *alias
    functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {from: a.example.com, to: b.example.com}}

    """,
    """
    apiVersion: config.kubernetes.io/v1
    kind: ResourceList
    items: []
    functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {from: a.example.com, to: b.example.com}}
    ---
    kind: Second

    """,
  ]

  @Test("item by item and the general path write the same bytes, for fixtures and variants")
  func sameBytes() throws {
    var inputs = try Self.lists.map { try #require(Fixtures.bytes(at: $0)) }
    inputs += Self.variants.map { Array($0.utf8) }
    #expect(inputs.count > 20)
    for input in inputs {
      let general = Self.run(input, itemByItem: false)
      let byItem = Self.run(input, itemByItem: true)
      #expect(byItem == general, "\(String(decoding: input.prefix(200), as: UTF8.self))")
      // Two parts (a small list and the default part size), then as many
      // as the item lines allow.
      for partSize in [1 << 20, 200, 40, 1] {
        let inParts = Self.run(input, itemByItem: true, inParts: true, partSize: partSize)
        #expect(
          inParts == general,
          "in parts of \(partSize): \(String(decoding: input.prefix(200), as: UTF8.self))")
      }
    }
  }

  @Test("cuts fall on column-0 item lines, increasing, about evenly; none without such a line")
  func itemCuts() {
    let input = Array(Self.cutList().utf8)
    guard let region = ResourceList.functionConfigRegion(in: input) else {
      Issue.record("no functionConfig region")
      return
    }
    let itemLines = (1..<region.lowerBound).filter {
      input[$0 - 1] == 0x0A && input[$0] == UInt8(ascii: "-")
    }
    #expect(itemLines.count == 3)
    let two = Runner.itemCuts(in: input, before: region.lowerBound, parts: 2)
    #expect(two.count == 1)
    #expect(two.allSatisfy { itemLines.contains($0) && $0 >= region.lowerBound / 2 })
    // Every item line but the first, which the head keeps.
    #expect(
      Runner.itemCuts(in: input, before: region.lowerBound, parts: 32)
        == Array(itemLines.dropFirst()))
    #expect(Runner.itemCuts(in: Array("a: 1\nb: 2\n".utf8), before: 10, parts: 4).isEmpty)
  }

  @Test("a list cut at every item line writes the general path's bytes")
  func cutAtEveryItem() throws {
    let text = Self.cutList()
    let input = Array(text.utf8)
    let region = try #require(ResourceList.functionConfigRegion(in: input))
    let cuts = (1..<region.lowerBound).filter {
      input[$0 - 1] == 0x0A && input[$0] == UInt8(ascii: "-") && input[$0 - 2] != UInt8(ascii: ":")
    }
    #expect(cuts.count == 2)
    let general = Self.run(input, itemByItem: false)
    #expect(Self.runInParts(text, cuts: { _ in cuts }) == general)
  }

  /// A list cut at the line `- apiVersion: v1` that starts the Service,
  /// with `head` before the items and `tail` after them.
  static func cutList(head: String = "", middle: String = "", tail: String = "") -> String {
    """
    \(head)apiVersion: config.kubernetes.io/v1
    kind: ResourceList
    items:
    - apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: a}
      spec: {rules: [{host: a.a.example.com}]}
    \(middle)- apiVersion: v1
      kind: Service
      metadata: {name: s, annotations: {external-dns.alpha.kubernetes.io/hostname: s.a.example.com}}
    - apiVersion: cert-manager.io/v1
      kind: Certificate
      metadata: {name: c}
      spec: {dnsNames: [c.a.example.com]}
    functionConfig:
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: c}
      data: {from: a.example.com, to: b.example.com}
    \(tail)
    """
  }

  /// The start of the line `- apiVersion: v1` that opens the Service.
  static func serviceCut(_ input: [UInt8]) -> [Int]? {
    let marker = Array("\n- apiVersion: v1\n  kind: Service".utf8)
    return (0...(input.count - marker.count)).first(where: {
      input[$0..<$0 + marker.count].elementsEqual(marker)
    }).map { [$0 + 1] }
  }

  /// Runs the path in parts cut at `cuts` (before the Service unless
  /// given); nil when it declines.
  static func runInParts(_ text: String, cuts: ([UInt8]) -> [Int]? = serviceCut) -> Outcome? {
    let input = Array(text.utf8)
    guard let region = ResourceList.functionConfigRegion(in: input),
      let regionDocument = try? StreamParser.parse(Array(input[region])).first,
      let node = regionDocument.value("functionConfig", in: regionDocument.root),
      let config = try? { () throws -> MirrorConfig? in
        var decoder = ConfigDecoder(document: regionDocument)
        return try decoder.decode(node)
      }(),
      let cuts = cuts(input)
    else { return nil }
    var stdout: [UInt8] = []
    var stderr = ""
    let io = RunIO(
      read: { _ in .end },
      write: {
        stdout += $0
        return true
      }, report: { stderr += $0 })
    let runner = Runner(invocation: Invocation(), readFile: { _ in nil })
    guard
      let status = runner.runResourceListInParts(
        input, configRegion: region, config: config, function: MirrorFunction(config: config),
        cuts: cuts, io: io)
    else { return nil }
    return Outcome(stdout: stdout, stderr: stderr, status: status)
  }

  @Test(
    "a list cut in two parts writes the general path's bytes; cuts that fall inside something else are declined"
  )
  func inParts() {
    for text in [
      Self.cutList(), Self.cutList(tail: "results:\n- message: old\n  severity: info\n"),
    ] {
      let general = Self.run(Array(text.utf8), itemByItem: false)
      #expect(Self.runInParts(text) == general, "\(text)")
      #expect(general.stdout.count > text.utf8.count)
    }
    let declined = [
      // The cut line sits inside a quoted scalar, or after a document end.
      Self.cutList(middle: "  annotations: {note: \"open\n"),
      Self.cutList(middle: "...\n"),
      // The tail repeats items; the head's first key is quoted unlike the tail's.
      Self.cutList(tail: "items: []\n"),
      Self.cutList(head: "\"version\": 1\n"),
    ]
    for text in declined {
      #expect(Self.runInParts(text) == nil, "\(text)")
      let general = Self.run(Array(text.utf8), itemByItem: false)
      #expect(Self.run(Array(text.utf8), itemByItem: true, inParts: true) == general, "\(text)")
    }
  }

  @Test("detached items parse as the same subtrees; the list keeps childless placeholders")
  func detachedSubtrees() throws {
    for text in Self.variants + [
      String(decoding: Self.lists.first.flatMap(Fixtures.bytes) ?? [], as: UTF8.self)
    ] {
      let input = Array(text.utf8)
      guard let whole = try? StreamParser.parse(input) else { continue }
      var items: [Document] = []
      var documents: [Document] = []
      try StreamParser.forEachDocument(
        in: input, detachingItemsOf: "items", item: { items.append($0) },
        document: { documents.append($0) })
      #expect(documents.count == whole.count)
      guard let first = whole.first, let split = documents.first,
        let wholeItems = first.value("items", in: first.root),
        let splitItems = split.value("items", in: split.root)
      else { continue }
      let originals = Array(first.children(of: wholeItems))
      let placeholders = Array(split.children(of: splitItems))
      #expect(placeholders.count == originals.count)
      let detached = first.style(of: wholeItems) == .block && first.style(of: first.root) == .block
      #expect(items.count == (detached ? originals.count : 0))
      for (index, item) in items.enumerated() {
        #expect(Self.sameTree(first, originals[index], item, item.root))
        #expect(split.span(of: placeholders[index]) == first.span(of: originals[index]))
        #expect(split.children(of: placeholders[index]).first { _ in true } == nil)
      }
    }
  }

  static func sameTree(_ a: Document, _ x: NodeID, _ b: Document, _ y: NodeID) -> Bool {
    guard a.kind(of: x) == b.kind(of: y), a.style(of: x) == b.style(of: y),
      a.span(of: x) == b.span(of: y), a.value(of: x) == b.value(of: y)
    else { return false }
    let left = Array(a.children(of: x))
    let right = Array(b.children(of: y))
    return left.count == right.count
      && zip(left, right).allSatisfy { sameTree(a, $0, b, $1) }
  }
}
