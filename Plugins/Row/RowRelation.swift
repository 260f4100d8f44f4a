import CurateChecks
import CurateKit
import Foundation

/// A way from a table's rows to related rows: a foreign key followed either way, or a relation a
/// check pack declares.
struct RowRelation {
    enum Direction: String {
        /// The rows this row's columns refer to.
        case parent
        /// The rows whose columns refer to this row.
        case child
    }

    var direction: Direction
    /// The columns of the row we start from.
    var localColumns: [String]
    /// The table of the related rows and their columns that match `localColumns`.
    var remote: RowTable
    var remoteColumns: [String]
    /// The foreign key's name; nil for a declared relation.
    var constraint: String?
    /// The pack that declares it; nil for a foreign key.
    var declaredBy: String?

    /// `diskfile.file_id → file.id`, always written from the referencing side.
    func title(local: RowTable) -> String {
        func side(_ table: RowTable, _ columns: [String]) -> String {
            columns.count == 1 ? "\(table.displayName).\(columns[0])" : "\(table.displayName).(\(columns.joined(separator: ", ")))"
        }
        let arrow = direction == .child ? side(remote, remoteColumns) + " → " + side(local, localColumns)
                                        : side(local, localColumns) + " → " + side(remote, remoteColumns)
        if let declaredBy { return arrow + " (declared by pack \(declaredBy))" }
        return arrow
    }
}

/// Finds the relations of a table: its foreign keys both ways, then the declared ones.
struct RowRelationFinder {
    let session: Session
    let tables: RowTableCatalog
    let declared: [DeclaredRelation]

    func relations(of table: RowTable) throws -> [RowRelation] {
        var found: [RowRelation] = []
        let keys = try session.execute("""
            SELECT con.conname, con.conrelid::text, con.confrelid::text,
                   (SELECT pg_catalog.json_agg(a.attname ORDER BY k.position) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum)::text,
                   (SELECT pg_catalog.json_agg(a.attname ORDER BY k.position) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, position)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)::text
            FROM pg_catalog.pg_constraint con
            WHERE con.contype = 'f' AND (con.conrelid = $1::oid OR con.confrelid = $1::oid)
            ORDER BY con.conrelid <> $1::oid, con.conname
            """, [table.oid])
        for key in keys.rows {
            let name = key[0] ?? ""
            let referencing = Self.names(key[3]), referenced = Self.names(key[4])
            if key[1] == table.oid {
                found.append(RowRelation(direction: .parent, localColumns: referencing, remote: try tables.table(oid: key[2] ?? ""),
                                         remoteColumns: referenced, constraint: name))
            }
            if key[2] == table.oid {
                found.append(RowRelation(direction: .child, localColumns: referenced, remote: try tables.table(oid: key[1] ?? ""),
                                         remoteColumns: referencing, constraint: name))
            }
        }
        for relation in declared {
            let oids = try session.execute("SELECT pg_catalog.to_regclass($1)::oid::text, pg_catalog.to_regclass($2)::oid::text",
                                           [relation.table, relation.referencedTable]).rows.first
            guard let referencing = oids?[0] ?? nil, let referenced = oids?[1] ?? nil else { continue }
            if referencing == table.oid {
                found.append(RowRelation(direction: .parent, localColumns: relation.columns, remote: try tables.table(oid: referenced),
                                         remoteColumns: relation.referencedColumns, declaredBy: relation.pack))
            }
            if referenced == table.oid {
                found.append(RowRelation(direction: .child, localColumns: relation.referencedColumns, remote: try tables.table(oid: referencing),
                                         remoteColumns: relation.columns, declaredBy: relation.pack))
            }
        }
        return found
    }

    static func names(_ json: String?) -> [String] {
        guard let json, let data = json.data(using: .utf8),
              let names = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return names
    }
}
