/// A positioned problem in YAML input: what libyaml (or a limit of ours)
/// rejected, and where.
///
/// Rendered compiler-style, with the offending line and a caret:
///
///     stdin:3:5: error: found character that cannot start any token (while scanning for the next token)
///     	b: 1
///     ^
public struct YAMLSyntaxError: Error, Equatable, Sendable {
  /// What is wrong, in libyaml's words or ours.
  public var problem: String
  /// What the parser was doing, when libyaml says.
  public var context: String?
  /// Byte offset of the problem in the input.
  public var byteOffset: Int
  /// 1-based line of the problem.
  public var line: Int
  /// 1-based column of the problem, in characters.
  public var column: Int

  /// Creates an error at `byteOffset` of `source`, computing line and column.
  public init(problem: String, context: String? = nil, byteOffset: Int, in source: [UInt8]) {
    self.problem = problem
    self.context = context
    self.byteOffset = max(0, min(byteOffset, source.count))
    let position = SourcePosition(byteOffset: self.byteOffset, in: source)
    self.line = position.line
    self.column = position.column
  }

  /// The same error for a part of a larger input that starts `bytes` bytes
  /// and `lines` line breaks into it (parts start at line starts).
  public func shifted(byBytes bytes: Int, lines: Int) -> YAMLSyntaxError {
    var moved = self
    moved.byteOffset += bytes
    moved.line += lines
    return moved
  }

  /// The one-line summary: `NAME:LINE:COLUMN: error: PROBLEM (CONTEXT)`.
  public func summary(name: String) -> String {
    var text = "\(name):\(line):\(column): error: \(problem)"
    if let context { text += " (\(context))" }
    return text
  }

  /// The summary followed by the offending line and a caret under the column.
  /// `source` holds the input from byte `sourceStart` on (a part of a
  /// stream read piece by piece).
  public func rendered(name: String, source: [UInt8], sourceStart: Int = 0) -> String {
    let byteOffset = max(0, min(self.byteOffset - sourceStart, source.count))
    let position = SourcePosition(byteOffset: byteOffset, in: source)
    let lineBytes = source[position.lineStart..<position.lineEnd]
    let lineText = String(decoding: lineBytes, as: UTF8.self)
    var caret = ""
    for scalar in String(decoding: source[position.lineStart..<byteOffset], as: UTF8.self)
      .unicodeScalars
    {
      caret.append(scalar == "\t" ? "\t" : " ")
    }
    caret.append("^")
    return summary(name: name) + "\n" + lineText + "\n" + caret
  }
}
