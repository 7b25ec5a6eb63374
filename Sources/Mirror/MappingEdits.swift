import YAMLSplice

/// Keys to set and remove in one mapping (annotations, labels, an
/// `issuerRef`), turned into edits together so that they never collide.
///
/// Existing values are replaced in their own style, missing keys are
/// appended in the mapping's layout, removed keys lose their lines. A
/// mapping that does not exist yet is created under its parent.
struct MappingEdits {
  /// Keys and the values they must have, in order.
  var sets: [(String, String)] = []
  /// Keys that must not be there.
  var removals: [String] = []

  var isEmpty: Bool { sets.isEmpty && removals.isEmpty }

  mutating func set(_ key: String, _ value: String) {
    if let index = sets.firstIndex(where: { $0.0 == key }) {
      sets[index].1 = value
    } else {
      sets.append((key, value))
    }
  }

  /// Edits for the mapping at `mapping` (nil when absent), which lives under
  /// `key` in `parent` (created there when absent and anything is to be set).
  func edits(
    in document: Document, mapping: NodeID?, key: String, parent: NodeID, layout: BlockLayout
  ) -> [Edit] {
    var created: [(String, YAMLFragment)] = []
    var edits = self.edits(
      in: document, mapping: mapping, key: key, parent: parent, layout: layout,
      creating: &created)
    if !created.isEmpty {
      edits.append(document.edit(appending: created, to: parent, layout: layout))
    }
    return edits
  }

  /// ``edits(in:mapping:key:parent:layout:)``, except that a mapping to be
  /// created as a new entry of `parent` is not inserted but added to
  /// `created`: the caller inserts every new entry of `parent` in one
  /// edit. Separate insertions at one place cannot separate their entries
  /// (in a flow mapping, `{}` given two entries needs the comma between
  /// them), so new entries of one mapping are always written together.
  func edits(
    in document: Document, mapping: NodeID?, key: String, parent: NodeID, layout: BlockLayout,
    creating created: inout [(String, YAMLFragment)]
  ) -> [Edit] {
    guard let mapping, document.kind(of: mapping) == .mapping else {
      let missing = sets.map { ($0.0, YAMLFragment.scalar($0.1)) }
      guard !missing.isEmpty else { return [] }
      if let entry = document.entry(key, in: parent) {
        // `key:` with a null value (ItemRun.dropUnwritableMetadata keeps
        // other values from getting here): replace it with the mapping.
        return [
          document.edit(
            replacingValue: entry.value, ofKey: entry.key, in: parent, with: .mapping(missing),
            layout: layout)
        ]
      }
      created.append((key, .mapping(missing)))
      return []
    }
    var edits: [Edit] = []
    var missing: [(String, String)] = []
    for (name, value) in sets {
      if let node = document.value(name, in: mapping) {
        if document.kind(of: node) != .scalar || document.string(of: node) != value {
          if document.kind(of: node) == .scalar {
            edits.append(document.edit(replacingValueOf: node, with: Array(value.utf8)))
          } else if let entry = document.entry(name, in: mapping) {
            edits.append(
              document.edit(
                replacingValue: entry.value, ofKey: entry.key, in: mapping, with: .scalar(value)))
          }
        }
      } else {
        missing.append((name, value))
      }
    }
    if document.style(of: mapping) == .flow {
      // Removed and appended together: a flow mapping's commas belong to
      // both (every entry with a removed key goes, duplicates too).
      let removed = document.entries(of: mapping).filter { entry in
        document.kind(of: entry.key) == .scalar
          && removals.contains(document.string(of: entry.key))
      }.map(\.key)
      edits += document.flowEdits(
        removing: removed, appending: missing.map { ($0.0, YAMLFragment.scalar($0.1)) },
        in: mapping)
      return edits
    }
    // Every entry with a removed key goes, duplicates too.
    for entry in removals.isEmpty ? [] : document.entries(of: mapping)
    where document.kind(of: entry.key) == .scalar
      && removals.contains(document.string(of: entry.key))
    {
      if let removal = document.edit(removingEntry: entry.key, from: mapping) {
        edits.append(removal)
      } else if !missing.isEmpty {
        // The only entry of a block mapping: turn it into a missing one.
        let (newKey, newValue) = missing.removeFirst()
        edits.append(document.edit(replacingValueOf: entry.key, with: Array(newKey.utf8)))
        edits.append(document.edit(replacingValueOf: entry.value, with: Array(newValue.utf8)))
      } else {
        edits.append(
          document.edit(
            replacingValue: mapping, ofKey: document.entry(key, in: parent)?.key ?? entry.key,
            in: parent, with: .mapping([])))
      }
    }
    if !missing.isEmpty {
      edits.append(
        document.edit(
          appending: missing.map { ($0.0, YAMLFragment.scalar($0.1)) }, to: mapping, layout: layout)
      )
    }
    return edits
  }
}
