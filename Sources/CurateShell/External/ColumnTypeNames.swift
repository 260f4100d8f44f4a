import CurateKit

/// Type names (`pg_type.typname`) for the columns a plugin's query returns: the built-in types
/// from a fixed table (their OIDs never change), others looked up once per plugin run.
struct ColumnTypeNames {
    private var found: [UInt32: String] = Self.builtIn

    /// The name of each column's type; an OID not known yet is looked up in `pg_type` (in the
    /// plugin's own scope, after its statement ended), and shown as its number if that fails.
    mutating func names(for columns: [ColumnDescription], session: Session) -> [(name: String, type: String, oid: UInt32)] {
        let unknown = Set(columns.map(\.typeOID)).filter { found[$0] == nil }
        if !unknown.isEmpty {
            let list = "{" + unknown.map(String.init).joined(separator: ",") + "}"
            if let result = try? session.execute("SELECT oid::int8, typname::text FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])", [list]) {
                for row in result.rows {
                    if let oid = row[0].flatMap({ UInt32($0) }), let name = row[1] { found[oid] = name }
                }
            }
            for oid in unknown where found[oid] == nil { found[oid] = String(oid) }
        }
        return columns.map { ($0.name, found[$0.typeOID] ?? String($0.typeOID), $0.typeOID) }
    }

    /// The OID of a built-in type by name (`int4`, `numeric`), for a table the plugin prints.
    static func oid(named name: String) -> UInt32? { byName[name] }

    private static let byName: [String: UInt32] = Dictionary(builtIn.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })

    static let builtIn: [UInt32: String] = [
        16: "bool", 17: "bytea", 18: "char", 19: "name", 20: "int8", 21: "int2", 23: "int4", 24: "regproc",
        25: "text", 26: "oid", 27: "tid", 28: "xid", 29: "cid", 114: "json", 142: "xml", 194: "pg_node_tree",
        600: "point", 650: "cidr", 700: "float4", 701: "float8", 705: "unknown", 774: "macaddr8", 790: "money",
        829: "macaddr", 869: "inet", 1000: "_bool", 1001: "_bytea", 1005: "_int2", 1007: "_int4", 1009: "_text",
        1014: "_bpchar", 1015: "_varchar", 1016: "_int8", 1021: "_float4", 1022: "_float8", 1028: "_oid",
        1033: "aclitem", 1034: "_aclitem", 1042: "bpchar", 1043: "varchar", 1082: "date", 1083: "time",
        1114: "timestamp", 1115: "_timestamp", 1182: "_date", 1184: "timestamptz", 1185: "_timestamptz",
        1186: "interval", 1231: "_numeric", 1266: "timetz", 1560: "bit", 1562: "varbit", 1700: "numeric",
        2205: "regclass", 2206: "regtype", 2249: "record", 2278: "void", 2950: "uuid", 2951: "_uuid",
        3220: "pg_lsn", 3614: "tsvector", 3615: "tsquery", 3802: "jsonb", 3807: "_jsonb", 3904: "int4range",
        3910: "tstzrange", 3912: "daterange", 4089: "regnamespace", 5069: "xid8",
    ]
}
