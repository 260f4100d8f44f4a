/// Builds one JSON line of the external plugin protocol in a byte buffer: rows are written
/// straight from libpq's memory, so streaming them costs little more than copying them. Strings
/// go through ``JSONString``, the one encoder.
package struct JSONLineWriter {
    /// The client encoding text values arrive in (`Session.clientEncoding`): named beside a
    /// value that is not valid UTF-8, which is sent in base64 (never as invalid JSON text).
    package var encoding = "UTF8"

    package private(set) var bytes: [UInt8] = []

    package init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    package var count: Int { bytes.count }

    package mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    @inline(__always) package mutating func raw(_ byte: UInt8) { bytes.append(byte) }

    package mutating func raw(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    package mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `"key":`, for a key that needs no escaping.
    package mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    package mutating func string(_ text: String) {
        // A String is UTF-8 already.
        var text = text
        text.withUTF8 { JSONString.append(UnsafeRawBufferPointer($0), to: &bytes) }
    }

    package mutating func string(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    /// A text value as libpq gave it: a JSON string when it is valid UTF-8, else
    /// `{"base64":"…","encoding":"LATIN1"}` (the bytes in the client encoding).
    package mutating func string(_ value: UnsafeRawBufferPointer) {
        if JSONString.isValidUTF8(value) {
            JSONString.append(value, to: &bytes)
        } else {
            raw("{\"base64\":\"")
            Base64.append(value, to: &bytes)
            raw("\",\"encoding\":")
            string(encoding)
            raw(UInt8(ascii: "}"))
        }
    }

    package mutating func integer<T: BinaryInteger>(_ value: T) {
        bytes.append(contentsOf: String(value).utf8)
    }

    package mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    package mutating func strings(_ values: [String]) {
        raw(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { raw(UInt8(ascii: ",")) }
            string(value)
        }
        raw(UInt8(ascii: "]"))
    }

}

/// RFC 4648 base64 with padding, for bytes that are not UTF-8.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func append(_ value: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        var i = 0
        let n = value.count
        while i + 3 <= n {
            let v = UInt32(value[i]) << 16 | UInt32(value[i + 1]) << 8 | UInt32(value[i + 2])
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(alphabet[Int(v & 63)])
            i += 3
        }
        let left = n - i
        guard left > 0 else { return }
        let v = UInt32(value[i]) << 16 | (left == 2 ? UInt32(value[i + 1]) << 8 : 0)
        out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
        out.append(left == 2 ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
        out.append(UInt8(ascii: "="))
    }
}
