import CurateKit

/// What the `curate-check` JSON document (`\check --format json`, also the `row` of `--format
/// csv`) needs beyond the one JSON encoder (`JSONString`): values typed by their column.
public enum CheckReport {
    /// A value as JSON, typed by the column: numbers, booleans, json inserted, NULL as null.
    public static func jsonValue(_ value: String?, typeOID: UInt32) -> String {
        guard let value else { return "null" }
        switch typeOID {
        case TypeOID.int2, TypeOID.int4, TypeOID.int8, TypeOID.oid, TypeOID.float4, TypeOID.float8, TypeOID.numeric:
            if value == "NaN" || value.hasSuffix("Infinity") { return JSONString.quoted(value) }
            return value
        case TypeOID.bool: return value == "t" ? "true" : "false"
        case TypeOID.json, TypeOID.jsonb: return value
        default: return JSONString.quoted(value)
        }
    }

    /// A row as a JSON object.
    public static func jsonObject(columns: [FindingColumn], row: [String?]) -> String {
        "{" + columns.enumerated().map { index, column in
            JSONString.quoted(column.name) + ": " + jsonValue(index < row.count ? row[index] : nil, typeOID: column.typeOID)
        }.joined(separator: ", ") + "}"
    }

    /// Milliseconds with one decimal.
    public static func milliseconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension String {
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
