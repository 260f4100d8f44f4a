/// Where ``JSONString`` writes: the renderers' buffer and the external plugin protocol's lines.
package protocol JSONByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(_ bytes: UnsafeRawBufferPointer)
}

extension RenderBuffer: JSONByteSink {}

extension Array: JSONByteSink where Element == UInt8 {
    package mutating func append(_ bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
}

/// The one JSON string encoder of curate: the json output format, `\check --format json` and
/// the external plugin protocol all write strings through it.
///
/// Escaped like PostgreSQL's own json output: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other
/// control characters `\u00XX`; everything else copied. The input must be UTF-8 (JSON text is
/// UTF-8, RFC 8259, which has no surrogates): encoded surrogates (ED A0-BF xx, which psql's
/// validation lets through from an SQL_ASCII database) are dropped.
public enum JSONString {
    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0), to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends the UTF-8 bytes `value` as a JSON string literal. Runs that need no escaping are
    /// copied at once.
    @inline(__always)
    package static func append<Sink: JSONByteSink>(_ value: UnsafeRawBufferPointer, to sink: inout Sink) {
        sink.append(0x22)
        let n = value.count
        var runStart = 0
        var i = 0
        while i < n {
            let c = value[i]
            if c >= 0x20 && c != 0x22 && c != 0x5C && c != 0xED {
                i += 1
                continue
            }
            if runStart < i { sink.append(UnsafeRawBufferPointer(rebasing: value[runStart..<i])) }
            i += 1
            switch c {
            case 0xED:
                if i < n && value[i] >= 0xA0 {
                    i = min(i + 2, n)  // a surrogate: its two continuation bytes go with it
                } else {
                    sink.append(c)
                }
            case 0x22: sink.append(0x5C); sink.append(0x22)
            case 0x5C: sink.append(0x5C); sink.append(0x5C)
            case 0x08: sink.append(0x5C); sink.append(0x62)  // \b
            case 0x0C: sink.append(0x5C); sink.append(0x66)  // \f
            case 0x0A: sink.append(0x5C); sink.append(0x6E)  // \n
            case 0x0D: sink.append(0x5C); sink.append(0x72)  // \r
            case 0x09: sink.append(0x5C); sink.append(0x74)  // \t
            default:
                sink.append(0x5C); sink.append(0x75); sink.append(0x30); sink.append(0x30)  // \u00
                sink.append(hex[Int(c >> 4)])
                sink.append(hex[Int(c & 0x0F)])
            }
            runStart = i
        }
        if runStart < n { sink.append(UnsafeRawBufferPointer(rebasing: value[runStart..<n])) }
        sink.append(0x22)
    }

    /// Whether `value` is valid UTF-8 (surrogates and overlong forms refused), so that it can be
    /// sent as a JSON string as it is.
    package static func isValidUTF8(_ value: UnsafeRawBufferPointer) -> Bool {
        if value.allSatisfy({ $0 < 0x80 }) { return true }
        return String(validating: value, as: UTF8.self) != nil
    }
}
