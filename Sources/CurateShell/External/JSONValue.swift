import Foundation
import CurateKit

/// One JSON value of a protocol message, as decoded by Foundation's `JSONDecoder` (which keeps
/// `true` and `1` apart, unlike `JSONSerialization` on Linux). Objects keep their keys unordered.
enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    private static let decoder = JSONDecoder()

    /// Parses one line; nil when it is not JSON.
    static func parse(_ line: ArraySlice<UInt8>) -> JSONValue? {
        try? decoder.decode(JSONValue.self, from: Data(line))
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A scalar as text, the way a parameter or a table cell is sent to PostgreSQL: strings as
    /// they are, numbers in their shortest form, booleans as `true`/`false`; nil for null.
    /// Throws for arrays and objects.
    func scalarText() throws(TypeMismatch) -> String? {
        switch self {
        case .null: return nil
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .double(let value): return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value): return value
        case .array, .object: throw TypeMismatch()
        }
    }

    struct TypeMismatch: Error {}

    /// A short description for protocol errors: `a string`, `an array`, ...
    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension JSONLineWriter {
    /// A value the plugin sent (an `id`), written back as it came.
    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): bool(flag)
        case .integer(let number): integer(number)
        case .double(let number): raw(Array(String(number).utf8))
        case .string(let text): string(text)
        case .array(let items):
            raw(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { raw(UInt8(ascii: ",")) }
                self.value(item)
            }
            raw(UInt8(ascii: "]"))
        case .object(let members):
            raw(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { raw(UInt8(ascii: ",")) }
                string(key)
                raw(UInt8(ascii: ":"))
                self.value(members[key]!)
            }
            raw(UInt8(ascii: "}"))
        }
    }
}
