import CurateKit

/// psql's `describeOneTableDetails`: one relation as `\d NAME` shows it — a table of its columns
/// (which columns depend on the relation's kind, `+` and the server version) under a title
/// naming the kind, then footers (indexes, constraints, partitions, ...; see `RelationFooters`).
/// A sequence is printed apart, as psql prints it (`SequenceDetails`).
struct RelationDescriber {
    let shell: Shell
    let oid: String
    let schema: String
    let name: String
    let verbose: Bool
    var version: Int { shell.session.info.serverVersion }

    /// What psql's first query reads about the relation (its `tableinfo`).
    struct Info {
        var checks = 0
        var kind: Character = "r"
        var hasIndex = false
        var hasRules = false
        var hasTriggers = false
        var rowSecurity = false
        var forceRowSecurity = false
        var hasOIDs = false
        var isPartition = false
        var options = ""
        var tablespace = "0"
        var ofType: String? = nil
        var persistence: Character = "p"
        var replicaIdentity: Character = "d"
        var accessMethod: String? = nil
    }

    var info = Info()
    var footers: [String] = []

    init(shell: Shell, oid: String, schema: String, name: String, verbose: Bool) {
        self.shell = shell
        self.oid = oid
        self.schema = schema
        self.name = name
        self.verbose = verbose
    }

    mutating func describe() throws {
        try readInfo()
        if info.kind == "S" {
            try SequenceDetails.print(oid: oid, schema: schema, name: name, unlogged: info.persistence == "u", shell: shell)
            return
        }
        let (columns, rows) = try readColumns()
        try addFooters()
        shell.printDescribedRows(columns: columns, rows: rows, title: title, footers: footers, expandedAllowed: false)
    }

    private mutating func readInfo() throws {
        let options = verbose
            ? "pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x), ', ')\n"
            : "''"
        let select = "SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, "
        let sql: String
        if version >= 120000 {
            sql = select + "c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids, c.relispartition, \(options), "
                + "c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, "
                + "c.relpersistence, c.relreplident, am.amname\nFROM pg_catalog.pg_class c\n "
                + "LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\n"
                + "LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)\nWHERE c.oid = '\(oid)';"
        } else {
            let middle = version >= 100000
                ? "c.relrowsecurity, c.relforcerowsecurity, c.relhasoids, c.relispartition, "
                : version >= 90500
                    ? "c.relrowsecurity, c.relforcerowsecurity, c.relhasoids, false as relispartition, "
                    : "false, false, c.relhasoids, false as relispartition, "
            sql = select + middle + "\(options), c.reltablespace, "
                + "CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, "
                + "c.relpersistence" + (version >= 90400 ? ", c.relreplident" : "") + "\nFROM pg_catalog.pg_class c\n "
                + "LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\nWHERE c.oid = '\(oid)';"
        }
        let result = try shell.describeQuery(sql)
        guard let row = result.rows.first else {
            if shell.isQuiet { throw ReportedFailure() }
            throw ShellFailure("Did not find any relation with OID \(oid).")
        }
        func flag(_ column: Int) -> Bool { row[column] == "t" }
        info.checks = Int(row[0] ?? "") ?? 0
        info.kind = (row[1] ?? "").first ?? "r"
        info.hasIndex = flag(2)
        info.hasRules = flag(3)
        info.hasTriggers = flag(4)
        info.rowSecurity = flag(5)
        info.forceRowSecurity = flag(6)
        info.hasOIDs = flag(7)
        info.isPartition = flag(8)
        info.options = row[9] ?? ""
        info.tablespace = row[10] ?? "0"
        info.ofType = (row[11] ?? "").isEmpty ? nil : row[11]
        info.persistence = (row[12] ?? "").first ?? "p"
        info.replicaIdentity = version >= 90400 ? ((row[13] ?? "").first ?? "d") : "d"
        info.accessMethod = version >= 120000 ? row[14] : nil
    }

    /// The kinds whose columns show collation, nullability and default.
    private var showsColumnDetails: Bool { "rvmfcp".contains(info.kind) }
    private var isIndex: Bool { info.kind == "i" || info.kind == "I" }

    private func readColumns() throws -> (headers: [String], rows: [[String]]) {
        var sql = "SELECT a.attname"
        sql += ",\n  pg_catalog.format_type(a.atttypid, a.atttypmod)"
        var headers = ["Column", "Type"]
        if showsColumnDetails {
            sql += ",\n  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)\n   FROM pg_catalog.pg_attrdef d"
                + "\n   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),\n  a.attnotnull"
            sql += ",\n  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t\n"
                + "   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation"
            sql += version >= 100000 ? ",\n  a.attidentity" : ",\n  ''::pg_catalog.char AS attidentity"
            sql += version >= 120000 ? ",\n  a.attgenerated" : ",\n  ''::pg_catalog.char AS attgenerated"
            headers += ["Collation", "Nullable", "Default"]
        }
        let showsKey = isIndex && version >= 110000
        if isIndex {
            if showsKey {
                sql += ",\n  CASE WHEN a.attnum <= (SELECT i.indnkeyatts FROM pg_catalog.pg_index i WHERE i.indexrelid = '\(oid)') "
                    + "THEN 'yes' ELSE 'no' END AS is_key"
                headers.append("Key?")
            }
            sql += ",\n  pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, TRUE) AS indexdef"
            headers.append("Definition")
        }
        if info.kind == "f" {
            sql += ",\n  CASE WHEN attfdwoptions IS NULL THEN '' ELSE "
                + "  '(' || pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(option_name) || ' ' || "
                + "pg_catalog.quote_literal(option_value)  FROM   pg_catalog.pg_options_to_table(attfdwoptions)), ', ') || ')' "
                + "END AS attfdwoptions"
            headers.append("FDW options")
        }
        var showsCompression = false, showsStatsTarget = false, showsDescription = false
        if verbose {
            sql += ",\n  a.attstorage"
            headers.append("Storage")
            if version >= 140000 && !shell.variables.bool("HIDE_TOAST_COMPRESSION", default: false) && "rpm".contains(info.kind) {
                sql += ",\n  a.attcompression AS attcompression"
                headers.append("Compression")
                showsCompression = true
            }
            if "riImfp".contains(info.kind) {
                sql += ",\n  CASE WHEN a.attstattarget=-1 THEN NULL ELSE a.attstattarget END AS attstattarget"
                headers.append("Stats target")
                showsStatsTarget = true
            }
            if "rvmfcp".contains(info.kind) {
                sql += ",\n  pg_catalog.col_description(a.attrelid, a.attnum)"
                headers.append("Description")
                showsDescription = true
            }
        }
        sql += "\nFROM pg_catalog.pg_attribute a"
        sql += "\nWHERE a.attrelid = '\(oid)' AND a.attnum > 0 AND NOT a.attisdropped"
        sql += "\nORDER BY a.attnum;"
        let result = try shell.describeQuery(sql)

        let rows = result.rows.map { row -> [String] in
            var column = 0
            func next() -> String {
                defer { column += 1 }
                return row[column] ?? ""
            }
            var cells = [next(), next()]
            if showsColumnDetails {
                let defaultValue = next(), notNull = next(), collation = next(), identity = next(), generated = next()
                cells.append(collation)
                cells.append(notNull == "t" ? "not null" : "")
                if identity == "a" {
                    cells.append("generated always as identity")
                } else if identity == "d" {
                    cells.append("generated by default as identity")
                } else if generated == "s" {
                    cells.append("generated always as (\(defaultValue)) stored")
                } else if generated == "v" && version >= 180000 {
                    // A virtual generated column (PostgreSQL 18).
                    cells.append("generated always as (\(defaultValue))")
                } else {
                    cells.append(defaultValue)
                }
            }
            if showsKey { cells.append(next()) }
            if isIndex { cells.append(next()) }
            if info.kind == "f" { cells.append(next()) }
            if verbose {
                let storage = next()
                cells.append(["p": "plain", "m": "main", "x": "extended", "e": "external"][storage.prefix(1)] ?? "???")
                if showsCompression {
                    let compression = next()
                    cells.append(compression.isEmpty ? "" : ["p": "pglz", "l": "lz4"][compression.prefix(1)] ?? "???")
                }
                if showsStatsTarget { cells.append(next()) }
                if showsDescription { cells.append(next()) }
            }
            return cells
        }
        return (headers, rows)
    }

    private var title: String {
        let unlogged = info.persistence == "u"
        let kindName: String
        switch info.kind {
        case "r": kindName = unlogged ? "Unlogged table" : "Table"
        case "v": kindName = "View"
        case "m": kindName = unlogged ? "Unlogged materialized view" : "Materialized view"
        case "i": kindName = unlogged ? "Unlogged index" : "Index"
        case "I": kindName = unlogged ? "Unlogged partitioned index" : "Partitioned index"
        case "t": kindName = "TOAST table"
        case "c": kindName = "Composite type"
        case "f": kindName = "Foreign table"
        case "p": kindName = unlogged ? "Unlogged partitioned table" : "Partitioned table"
        default: kindName = "?\(info.kind)?"
        }
        return "\(kindName) \"\(schema).\(name)\""
    }
}
