import CurateKit

/// Text output shared by the check and fix plugins: aligned tables, JSON and CSV values.
public enum Report {
    /// A psql-like aligned table: header, separator, rows; numbers right-aligned.
    public static func table(columns: [FindingColumn], rows: [[String?]], null: String = "") -> [String] {
        let cells = rows.map { $0.map { ($0 ?? null).replacingNewlines() } }
        var widths = columns.map { $0.name.count }
        for row in cells {
            for (index, value) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], value.count) }
        }
        func pad(_ text: String, _ width: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(width - text.count, 0))
            return right ? fill + text : text + fill
        }
        var lines: [String] = []
        lines.append(" " + columns.enumerated().map { index, column in
            let total = widths[index] - column.name.count
            let left = total / 2
            return String(repeating: " ", count: left) + column.name + String(repeating: " ", count: total - left)
        }.joined(separator: " | ").trimmingTrailingSpaces())
        lines.append(widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+"))
        for row in cells {
            lines.append(" " + row.enumerated().map { index, value in
                pad(value, widths[index], right: TypeOID.isRightAligned(columns[index].typeOID))
            }.joined(separator: " | ").trimmingTrailingSpaces())
        }
        return lines
    }

    /// A JSON string literal.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A value as JSON, typed by the column: numbers, booleans, json inserted, NULL as null.
    public static func jsonValue(_ value: String?, typeOID: UInt32) -> String {
        guard let value else { return "null" }
        switch typeOID {
        case TypeOID.int2, TypeOID.int4, TypeOID.int8, TypeOID.oid, TypeOID.float4, TypeOID.float8, TypeOID.numeric:
            if value == "NaN" || value.hasSuffix("Infinity") { return jsonString(value) }
            return value
        case TypeOID.bool: return value == "t" ? "true" : "false"
        case TypeOID.json, TypeOID.jsonb: return value
        default: return jsonString(value)
        }
    }

    /// A row as a JSON object.
    public static func jsonObject(columns: [FindingColumn], row: [String?]) -> String {
        "{" + columns.enumerated().map { index, column in
            jsonString(column.name) + ": " + jsonValue(index < row.count ? row[index] : nil, typeOID: column.typeOID)
        }.joined(separator: ", ") + "}"
    }

    /// A CSV field (RFC 4180 quoting).
    public static func csvField(_ text: String?) -> String {
        guard let text else { return "" }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrencesOf("\"", with: "\"\"") + "\""
        }
        return text
    }

    /// Milliseconds with one decimal.
    public static func milliseconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }

    func replacingNewlines() -> String {
        String(map { $0 == "\n" ? " " : $0 })
    }

    /// Replaces every occurrence of `target` (no Foundation).
    public func replacingOccurrencesOf(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
