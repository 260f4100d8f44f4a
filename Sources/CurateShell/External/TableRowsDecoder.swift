import CurateKit
import Foundation

/// Reads a `table_rows` message (`{"type":"table_rows","rows":[["1","a"],[2,null]]}`) straight
/// from the line's bytes into rows for the renderer, without building a JSON tree: a streamed
/// table is most of what a plugin sends, and a general decoder costs microseconds per cell.
/// Cells are strings (unescaped), numbers and booleans (as written) or null.
struct TableRowsDecoder {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index: Int

    /// The cells of the current row: their bytes in `scratch`, as (start, length), or nil for null.
    private(set) var cells: [(start: Int, length: Int)?] = []
    private(set) var scratch: [UInt8] = []

    struct Malformed: Error {
        let reason: String
    }

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        index = 0
    }

    /// The value of the top-level `"type"` of a message, when the line is an object that has one
    /// as a plain string; a quick look that decides whether the fast path applies.
    static func messageType(of line: ArraySlice<UInt8>) -> String? {
        line.withUnsafeBufferPointer { buffer in
            var decoder = TableRowsDecoder(buffer)
            guard let members = try? decoder.members() else { return nil }
            guard let range = members["type"] else { return nil }
            var inner = TableRowsDecoder(buffer)
            inner.index = range.lowerBound
            guard inner.peek() == UInt8(ascii: "\""), (try? inner.string()) != nil else { return nil }
            return String(decoding: inner.scratch, as: UTF8.self)
        }
    }

    /// Calls `row` for each row of the message's `rows`; each must have `columns` cells.
    static func forEachRow(in line: ArraySlice<UInt8>, columns: Int, _ row: (DecodedRow) throws -> Void) throws {
        try line.withUnsafeBufferPointer { buffer in
            var decoder = TableRowsDecoder(buffer)
            let members = try decoder.members()
            guard let range = members["rows"] else { throw Malformed(reason: "a table_rows message needs \"rows\", an array of rows") }
            decoder.index = range.lowerBound
            try decoder.expect(UInt8(ascii: "["), "\"rows\" must be an array of rows")
            decoder.skipSpace()
            if decoder.peek() == UInt8(ascii: "]") { return }
            var number = 0
            while true {
                number += 1
                try decoder.row(number: number, columns: columns)
                try row(DecodedRow(cells: decoder.cells, scratch: decoder.scratch))
                decoder.skipSpace()
                guard let next = decoder.next() else { throw Malformed(reason: "the rows end too early") }
                if next == UInt8(ascii: "]") { return }
                guard next == UInt8(ascii: ",") else { throw Malformed(reason: "rows are separated by commas") }
                decoder.skipSpace()
            }
        }
    }

    // MARK: Scanning

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ reason: String) throws {
        skipSpace()
        guard next() == byte else { throw Malformed(reason: reason) }
    }

    /// The top-level members of an object: key → byte range of its value (not decoded).
    private mutating func members() throws -> [String: Range<Int>] {
        var found: [String: Range<Int>] = [:]
        try expect(UInt8(ascii: "{"), "not a JSON object")
        skipSpace()
        if peek() == UInt8(ascii: "}") { return found }
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\"") else { throw Malformed(reason: "an object key must be a string") }
            scratch.removeAll(keepingCapacity: true)
            try string()
            let key = String(decoding: scratch, as: UTF8.self)
            try expect(UInt8(ascii: ":"), "a key must be followed by a colon")
            skipSpace()
            let start = index
            try skipValue()
            found[key] = start..<index
            skipSpace()
            guard let next = next() else { throw Malformed(reason: "the object is not closed") }
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else { throw Malformed(reason: "members are separated by commas") }
        }
        skipSpace()
        guard index == bytes.count else { throw Malformed(reason: "text after the object") }
        return found
    }

    /// Skips one value (strings, nesting and all).
    private mutating func skipValue() throws {
        var depth = 0
        repeat {
            skipSpace()
            guard let byte = peek() else { throw Malformed(reason: "the line ends inside a value") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                while true {
                    guard let c = next() else { throw Malformed(reason: "a string is not closed") }
                    if c == UInt8(ascii: "\\") { index += 1 } else if c == UInt8(ascii: "\"") { break }
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                index += 1
                continue
            default:
                while let c = peek(), c != UInt8(ascii: ","), c != UInt8(ascii: "]"), c != UInt8(ascii: "}"),
                      c != 0x20, c != 0x0A, c != 0x0D, c != 0x09 { index += 1 }
            }
        } while depth > 0
    }

    /// One row: `[cell, ...]` into `cells` and `scratch`.
    private mutating func row(number: Int, columns: Int) throws {
        cells.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        guard next() == UInt8(ascii: "[") else { throw Malformed(reason: "row \(number) is not an array") }
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            index += 1
        } else {
            while true {
                skipSpace()
                guard let byte = peek() else { throw Malformed(reason: "row \(number) is not closed") }
                switch byte {
                case UInt8(ascii: "\""):
                    let start = scratch.count
                    try string()
                    cells.append((start, scratch.count - start))
                case UInt8(ascii: "n"):
                    try word("null", row: number)
                    cells.append(nil)
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let start = scratch.count
                    while let c = peek(), c != UInt8(ascii: ","), c != UInt8(ascii: "]"), c != 0x20 {
                        scratch.append(c)
                        index += 1
                    }
                    cells.append((start, scratch.count - start))
                default:
                    throw Malformed(reason: "row \(number) holds an array or object; cells are text, numbers, booleans or null")
                }
                skipSpace()
                guard let next = next() else { throw Malformed(reason: "row \(number) is not closed") }
                if next == UInt8(ascii: "]") { break }
                guard next == UInt8(ascii: ",") else { throw Malformed(reason: "the cells of row \(number) are separated by commas") }
            }
        }
        guard cells.count == columns else {
            throw Malformed(reason: "row \(number) has \(cells.count) values; the table has \(columns) columns")
        }
    }

    private mutating func word(_ text: StaticString, row: Int) throws {
        let length = text.utf8CodeUnitCount
        guard index + length <= bytes.count,
              memcmp(bytes.baseAddress! + index, text.utf8Start, length) == 0 else {
            throw Malformed(reason: "row \(row) holds something that is not JSON")
        }
        index += length
    }

    /// A string at `index` (its opening quote), appended to `scratch` unescaped.
    private mutating func string() throws {
        index += 1
        while true {
            // Copy the plain run at once.
            var run = index
            while run < bytes.count, bytes[run] != UInt8(ascii: "\""), bytes[run] != UInt8(ascii: "\\") { run += 1 }
            if run > index { scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<run])) }
            index = run
            guard let c = next() else { throw Malformed(reason: "a string is not closed") }
            if c == UInt8(ascii: "\"") { return }
            guard let escape = next() else { throw Malformed(reason: "a string is not closed") }
            switch escape {
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u") else { throw Malformed(reason: "a lone surrogate in a string") }
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw Malformed(reason: "a lone surrogate in a string") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw Malformed(reason: "a bad \\u escape in a string") }
                scratch.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: scratch.append(escape)  // \" \\ \/
            }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = next() else { throw Malformed(reason: "a bad \\u escape in a string") }
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw Malformed(reason: "a bad \\u escape in a string")
            }
            value = value * 16 + digit
        }
        return value
    }
}

/// One decoded row, its values in place in the decoder's scratch bytes (valid for the callback).
struct DecodedRow: RowValues {
    let cells: [(start: Int, length: Int)?]
    let scratch: [UInt8]

    var count: Int { cells.count }

    func isNull(_ column: Int) -> Bool { cells[column] == nil }

    func withValue<R>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let cell = cells[column] else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try scratch.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[cell.start..<(cell.start + cell.length)]))
        }
    }
}
