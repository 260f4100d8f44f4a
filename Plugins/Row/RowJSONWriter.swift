import CurateChecks
import CurateKit

/// `\row --format json`: one JSON object for scripts. Values are typed as the json output format
/// types them (numbers, booleans, json as JSON; everything else a string; NULL null).
struct RowJSONWriter {
    static func value(_ text: String?, type: UInt32) -> String {
        guard let text else { return "null" }
        switch type {
        case TypeOID.int2, TypeOID.int4, TypeOID.int8, TypeOID.oid:
            return text
        case TypeOID.float4, TypeOID.float8, TypeOID.numeric:
            return Double(text).map { $0.isFinite } == true ? text : JSONString.quoted(text)
        case TypeOID.bool:
            return text == "t" ? "true" : "false"
        case TypeOID.json, TypeOID.jsonb:
            return text
        default:
            return JSONString.quoted(text)
        }
    }

    static func object(_ columns: [ColumnDescription], _ values: [String?]) -> String {
        "{" + zip(columns, values).map { JSONString.quoted($0.name) + ": " + value($1, type: $0.typeOID) }.joined(separator: ", ") + "}"
    }

    static func string(_ text: String?) -> String { text.map(JSONString.quoted) ?? "null" }

    func json(_ report: RowReport) -> String {
        let row = report.row.rows.first.map { Self.object(report.row.shownColumns, Array($0.dropFirst())) } ?? "null"
        let keyTypes = report.address.columns.map { column in report.row.shownColumns.first { $0.name == column }?.typeOID ?? TypeOID.text }
        let key = "{" + zip(report.address.columns, zip(report.address.values, keyTypes)).map {
            JSONString.quoted($0) + ": " + Self.value($1.0, type: $1.1)
        }.joined(separator: ", ") + "}"
        var related: [String] = []
        for section in report.sections {
            let relation = section.relation
            let rows = zip(section.numbers, section.rows.rows).map { number, values in
                "{\"number\": \(number), \"row\": \(Self.object(section.rows.shownColumns, Array(values.dropFirst())))}"
            }
            let local = section.parentSection.map { report.sections[$0].relation.remote } ?? report.table
            related.append("""
                {"direction": \(JSONString.quoted(relation.direction.rawValue)), "table": \(JSONString.quoted(relation.remote.displayName)), \
                "columns": [\(relation.remoteColumns.map(JSONString.quoted).joined(separator: ", "))], \
                "refers_to": \(JSONString.quoted(local.displayName)), \
                "via": \(JSONString.quoted(relation.title(local: local))), "constraint": \(Self.string(relation.constraint)), \
                "declared_by": \(Self.string(relation.declaredBy)), "level": \(section.level), \
                "of_section": \(section.parentSection.map(String.init) ?? "null"), "count": \(section.count.map(String.init) ?? "null"), \
                "indexed": \(section.indexSuggestion == nil), "note": \(Self.string(section.note)), "rows": [\(rows.joined(separator: ", "))]}
                """)
        }
        let findings = report.findings.map { finding -> String in
            let columns = finding.columns.map { ColumnDescription(name: $0.name, typeOID: $0.typeOID) }
            let rows = finding.rows.map { Self.object(columns, $0) }
            return "{\"check\": \(JSONString.quoted(finding.check.name)), \"pack\": \(JSONString.quoted(finding.check.pack)), "
                + "\"severity\": \(JSONString.quoted(finding.check.severity.rawValue)), \"error\": \(Self.string(finding.failure)), "
                + "\"rows\": [\(rows.joined(separator: ", "))]}"
        }
        let history = report.history.rows.map { Self.object(report.history.columns, $0) }
        return """
            {"table": \(JSONString.quoted(report.table.name)), "schema": \(JSONString.quoted(report.table.schema)), "key": \(key), \
            "row": \(row), "related": [\(related.joined(separator: ", "))], "findings": [\(findings.joined(separator: ", "))], \
            "history": [\(history.joined(separator: ", "))], "history_note": \(Self.string(report.history.note))}
            """
    }
}
