import CurateKit

/// Text output shared by the check and fix plugins: aligned tables, JSON and CSV values.
public enum Report {
    /// A psql-like aligned table: header, separator, rows; numbers right-aligned.
    public static func table(columns: [FindingColumn], rows: [[String?]], null: String = "") -> [String] {
        var widths = columns.map { $0.name.displayWidth }
        var cellWidths: [Int] = []
        cellWidths.reserveCapacity(rows.count * columns.count)
        for row in rows {
            for index in columns.indices {
                let width = index < row.count ? (row[index] ?? null).displayWidth : 0
                widths[index] = max(widths[index], width)
                cellWidths.append(width)
            }
        }
        let rightAligned = columns.map { TypeOID.isRightAligned($0.typeOID) }
        var lines: [String] = []
        lines.reserveCapacity(rows.count + 2)
        lines.append(" " + columns.enumerated().map { index, column in
            let total = widths[index] - column.name.displayWidth
            let left = total / 2
            return String(repeating: " ", count: left) + column.name + String(repeating: " ", count: total - left)
        }.joined(separator: " | ").trimmingTrailingSpaces())
        lines.append(widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+"))
        // Rows are built as bytes: tens of thousands of findings are printed in no time.
        var line: [UInt8] = []
        let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n")
        for (rowIndex, row) in rows.enumerated() {
            line.removeAll(keepingCapacity: true)
            line.append(space)
            for index in columns.indices {
                if index > 0 { line.append(contentsOf: [space, UInt8(ascii: "|"), space]) }
                let value = index < row.count ? (row[index] ?? null) : ""
                let fill = widths[index] - cellWidths[rowIndex * columns.count + index]
                if rightAligned[index] { line.append(contentsOf: repeatElement(space, count: fill)) }
                // Newlines in a value are shown as spaces.
                if value.utf8.contains(newline) {
                    line.append(contentsOf: value.utf8.lazy.map { $0 == newline ? space : $0 })
                } else {
                    line.append(contentsOf: value.utf8)
                }
                if !rightAligned[index] { line.append(contentsOf: repeatElement(space, count: fill)) }
            }
            while line.last == space { line.removeLast() }
            lines.append(String(decoding: line, as: UTF8.self))
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
        guard utf8.contains(10) else { return self }
        return String(map { $0 == "\n" ? " " : $0 })
    }

    /// The width in characters, as the table aligns it: the byte count for ASCII text (the
    /// common case, and cheap), else the number of characters.
    var displayWidth: Int {
        utf8.allSatisfy { $0 < 0x80 } ? utf8.count : count
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
