/// The json format (curate's own; psql has none). Streams.
///
/// Each result set is one JSON array with one object per row, keys the column names in order
/// (duplicates kept, as they come):
/// ```
/// [{"id": 1, "name": "first", "tags": ["a"], "ok": true, "note": null},
/// {"id": 2, "name": "se\"cond", "tags": [], "ok": false, "note": "x"}]
/// ```
/// `[` then the objects separated by `,\n`, then `]\n`; no rows: `[]\n`.
/// Values: int2/int4/int8/float4/float8/numeric/oid as numbers (`NaN`, `Infinity`, `-Infinity`
/// as strings), bool as `true`/`false`, json/jsonb inserted as they are, NULL as `null`, anything
/// else a string. Strings are escaped like PostgreSQL's own json output (`\"`, `\\`, `\b`, `\f`,
/// `\n`, `\r`, `\t`, other control characters `\u00XX`); invalid UTF-8 is dropped as psql does.
/// A result without rows prints `{"command": "INSERT 0 1"}` on its own line, and so does the
/// command status after the rows of INSERT/UPDATE/DELETE ... RETURNING (where psql prints it).
final class JSONRenderer: RowCountingRenderer {
    enum ValueKind {
        case number, bool, json, string
    }

    private let out: StagedOutput
    /// `"name": ` for the first column, `, "name": ` for the others, one after the other;
    /// `keyEnds[c]` is where column c's ends.
    private let keys = RenderBuffer(capacity: 256)
    private var keyEnds: [Int] = []
    private var kinds: [ValueKind] = []
    private var rows = 0
    private(set) var lastResultRowCount = 0
    private let scratch = RenderBuffer(capacity: 1 << 12)

    init(writer: OutputWriter) {
        out = StagedOutput(writer: writer)
    }

    static func kind(of oid: UInt32) -> ValueKind {
        switch oid {
        case TypeOID.int2, TypeOID.int4, TypeOID.int8, TypeOID.float4, TypeOID.float8, TypeOID.numeric, TypeOID.oid:
            return .number
        case TypeOID.bool:
            return .bool
        case TypeOID.json, TypeOID.jsonb:
            return .json
        default:
            return .string
        }
    }

    func begin(columns: [ColumnDescription]) {
        keys.removeAll()
        keyEnds = []
        for (i, column) in columns.enumerated() {
            if i > 0 {
                keys.append(0x2C)
                keys.append(RenderByte.space)
            }
            JSONRenderer.appendString(column.name, to: keys)
            keys.append(0x3A)
            keys.append(RenderByte.space)
            keyEnds.append(keys.count)
        }
        kinds = columns.map { JSONRenderer.kind(of: $0.typeOID) }
        rows = 0
    }

    func row(_ values: some RowValues) {
        let b = out.buffer
        if rows == 0 {
            b.append(0x5B)  // [
        } else {
            b.append(0x2C)
            b.append(RenderByte.newline)
        }
        b.append(0x7B)  // {
        let keyBase = keys.base
        keyEnds.withUnsafeBufferPointer { keyEnds in
            kinds.withUnsafeBufferPointer { kinds in
                var keyStart = 0
                for c in 0..<keyEnds.count {
                    b.append(UnsafeRawBufferPointer(start: keyBase + keyStart, count: keyEnds[c] - keyStart))
                    keyStart = keyEnds[c]
                    let kind = kinds[c]
                    values.withValue(c) { value in
                        // A non-empty value is never NULL, so `isNull` is asked only for empty values.
                        if value.count == 0 && values.isNull(c) {
                            JSONRenderer.appendLiteral(JSONRenderer.null, to: b)
                            return
                        }
                        switch kind {
                        case .string:
                            appendStringValue(value, to: b)
                        case .number:
                            if JSONRenderer.isJSONNumber(value) {
                                b.append(value)
                            } else {
                                appendStringValue(value, to: b)
                            }
                        case .bool:
                            if value.count == 1 && value[0] == 0x74 {
                                JSONRenderer.appendLiteral(JSONRenderer.true, to: b)
                            } else if value.count == 1 && value[0] == 0x66 {
                                JSONRenderer.appendLiteral(JSONRenderer.false, to: b)
                            } else {
                                appendStringValue(value, to: b)
                            }
                        case .json:
                            PsqlText.appendValidated(value, to: b)
                        }
                    }
                }
            }
        }
        b.append(0x7D)  // }
        rows += 1
        out.drainIfFull()
    }

    func end(commandTag: String, rowCount: Int) {
        let b = out.buffer
        if rows == 0 { b.append(0x5B) }
        b.append(0x5D)  // ]
        b.append(RenderByte.newline)
        lastResultRowCount = rows
        if PsqlText.printsStatusAfterRows(commandTag) {
            appendCommand(commandTag)
        }
        out.drain()
    }

    func command(tag: String) {
        appendCommand(tag)
        out.drain()
    }

    private func appendCommand(_ tag: String) {
        let b = out.buffer
        b.append("{\"command\": ")
        JSONRenderer.appendString(tag, to: b)
        b.append(0x7D)
        b.append(RenderByte.newline)
    }

    // "null", "true", "fals" + "e", little-endian.
    private static let null: (UInt32, UInt8?) = (0x6C6C_756E, nil)
    private static let `true`: (UInt32, UInt8?) = (0x6575_7274, nil)
    private static let `false`: (UInt32, UInt8?) = (0x736C_6166, 0x65)

    @inline(__always)
    private static func appendLiteral(_ literal: (UInt32, UInt8?), to b: RenderBuffer) {
        b.reserve(5)
        UnsafeMutableRawPointer(b.end).storeBytes(of: literal.0.littleEndian, as: UInt32.self)
        b.count += 4
        if let last = literal.1 { b.append(last) }
    }

    /// A value as a JSON string: the hot path copies values that need no escaping.
    @inline(__always)
    private func appendStringValue(_ value: UnsafeRawBufferPointer, to b: RenderBuffer) {
        if JSONRenderer.needsNoEscaping(value) {
            b.reserve(value.count + 2)
            b.append(RenderByte.quote)
            b.append(value)
            b.append(RenderByte.quote)
        } else {
            scratch.removeAll()
            PsqlText.appendValidated(value, to: scratch)
            JSONRenderer.appendEscaped(scratch.bytes, to: b)
        }
    }

    /// No `"`, `\`, control character or byte >= 0x80 (which would need validating).
    @inline(__always)
    static func needsNoEscaping(_ value: UnsafeRawBufferPointer) -> Bool {
        let n = value.count
        guard n > 0, let source = value.baseAddress else { return true }
        var i = 0
        while i + 8 <= n {
            let x = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let quote = x ^ 0x2222_2222_2222_2222
            let backslash = x ^ 0x5C5C_5C5C_5C5C_5C5C
            let special = ((quote &- 0x0101_0101_0101_0101) & ~quote)
                | ((backslash &- 0x0101_0101_0101_0101) & ~backslash)
                | ((x &- 0x2020_2020_2020_2020) & ~x)
                | x
            if special & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        let p = source.assumingMemoryBound(to: UInt8.self)
        while i < n {
            let c = p[i]
            if c < 0x20 || c >= 0x80 || c == RenderByte.quote || c == RenderByte.backslash { return false }
            i += 1
        }
        return true
    }

    /// A JSON string literal for validated UTF-8 bytes (``JSONString``, the one encoder).
    @inline(__always)
    static func appendEscaped(_ value: UnsafeRawBufferPointer, to b: RenderBuffer) {
        var sink = b
        JSONString.append(value, to: &sink)
    }

    static func appendString(_ text: String, to b: RenderBuffer) {
        let bytes = PsqlText.validatedBytes(text)
        bytes.withUnsafeBytes { appendEscaped($0, to: b) }
    }

    /// Whether the bytes are a JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    @inline(__always)
    static func isJSONNumber(_ value: UnsafeRawBufferPointer) -> Bool {
        let n = value.count
        var i = 0
        @inline(__always) func digit(_ i: Int) -> Bool { i < n && value[i] &- 0x30 < 10 }
        if i < n && value[i] == RenderByte.minus { i += 1 }
        guard digit(i) else { return false }
        if value[i] == 0x30 {
            i += 1
        } else {
            while digit(i) { i += 1 }
        }
        if i < n && value[i] == 0x2E {
            i += 1
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        if i < n && (value[i] == 0x65 || value[i] == 0x45) {
            i += 1
            if i < n && (value[i] == 0x2B || value[i] == RenderByte.minus) { i += 1 }
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        return i == n
    }
}
