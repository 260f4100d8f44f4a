import CurateKit

/// psql's `map_typename_pattern`: type names the grammar accepts that are neither pg_type's name
/// nor `format_type`'s (`int`, `float[]`) turned into the canonical name, so `\dT int` and
/// `\df f int` find `integer`. Anything else is returned unchanged.
enum TypeNamePattern {
    private static let canonicalNames: [(String, String)] = [
        ("decimal", "numeric"), ("float", "double precision"), ("int", "integer"),
        ("bool[]", "boolean[]"), ("decimal[]", "numeric[]"), ("float[]", "double precision[]"),
        ("float4[]", "real[]"), ("float8[]", "double precision[]"), ("int[]", "integer[]"),
        ("int2[]", "smallint[]"), ("int4[]", "integer[]"), ("int8[]", "bigint[]"),
        ("time[]", "time without time zone[]"), ("timetz[]", "time with time zone[]"),
        ("timestamp[]", "timestamp without time zone[]"), ("timestamptz[]", "timestamp with time zone[]"),
        ("varbit[]", "bit varying[]"), ("varchar[]", "character varying[]"),
    ]

    static func mapped(_ pattern: String?) -> String? {
        guard let pattern else { return nil }
        // pg_strcasecmp: ASCII letters only fold.
        let folded = String(pattern.unicodeScalars.map { ("A"..."Z").contains($0) ? Character(String($0).lowercased()) : Character($0) })
        return canonicalNames.first { $0.0 == folded }?.1 ?? pattern
    }
}

extension SQLNamePattern {
    /// The argument-type conditions of `\df NAME TYPE...` and `\do OP TYPE...`: each pattern
    /// matched against the internal or the external name of the type joined as `tN`; `-` means
    /// no such argument.
    mutating func appendArgumentTypes(_ patterns: [String], database: String) throws {
        for (index, pattern) in patterns.enumerated() {
            if pattern == "-" {
                query += "  AND t\(index).typname IS NULL\n"
                continue
            }
            try validate(
                TypeNamePattern.mapped(pattern), haveWhere: true, schemaColumn: "nt\(index).nspname",
                nameColumn: "t\(index).typname", alternateNameColumn: "pg_catalog.format_type(t\(index).oid, NULL)",
                visibilityRule: "pg_catalog.pg_type_is_visible(t\(index).oid)", maxParts: 3, database: database)
        }
    }
}
