/// A row of values a command computed itself (not from the server): each value's UTF-8 bytes,
/// nil for NULL, so the renderers print it exactly like a server row.
package struct TextRowValues: RowValues {
    package let values: [[UInt8]?]

    package init(_ values: [String?]) {
        self.values = values.map { $0.map { Array($0.utf8) } }
    }

    package init(bytes: [[UInt8]?]) {
        values = bytes
    }

    package var count: Int { values.count }

    package func isNull(_ column: Int) -> Bool { values[column] == nil }

    package func withValue<R>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let value = values[column] else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try value.withUnsafeBytes(body)
    }
}
