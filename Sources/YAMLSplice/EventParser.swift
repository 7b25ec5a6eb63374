internal import CYAML

/// Owns a heap-allocated libyaml parser reading from a caller-owned buffer.
///
/// libyaml keeps a pointer to its own `yaml_parser_t` (`read_handler_data`),
/// so the struct must never move: it lives on the heap for the owner's whole
/// lifetime. The input buffer is not copied and must outlive the parser.
struct EventParser: ~Copyable {
  let parser: UnsafeMutablePointer<yaml_parser_t>
  private let emptyInput: UnsafeMutablePointer<UInt8>

  /// Starts a parser over `input` (which may be empty).
  init(input: UnsafeBufferPointer<UInt8>) {
    parser = .allocate(capacity: 1)
    emptyInput = .allocate(capacity: 1)
    emptyInput.initialize(to: 0)
    // yaml_parser_initialize only fails when malloc fails.
    _ = yaml_parser_initialize(parser)
    // libyaml asserts a non-NULL input pointer, even for zero bytes.
    let base = input.baseAddress ?? UnsafePointer(emptyInput)
    yaml_parser_set_input_string(parser, base, input.count)
  }

  deinit {
    yaml_parser_delete(parser)
    parser.deallocate()
    emptyInput.deallocate()
  }

  /// Parses the next event into `event`. Returns false on a syntax error;
  /// the caller reads the error from `parser` and must not call again.
  /// On success the caller owns `event` and must `yaml_event_delete` it.
  @inline(__always)
  func next(into event: UnsafeMutablePointer<yaml_event_t>) -> Bool {
    yaml_parser_parse(parser, event) == 1
  }
}
