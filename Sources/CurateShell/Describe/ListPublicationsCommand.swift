import ArgumentParser
import CurateKit

/// `\dRp [PATTERN]`: psql's `listPublications`; `\dRp+ [PATTERN]`: its `describePublications`,
/// one table per publication with the tables and schemas it publishes as footers.
struct ListPublicationsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dRp", abstract: "List replication publications.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dRp")
        let pattern = arguments.next(semicolon: true)?.value
        let version = shell.session.info.serverVersion
        guard version >= 100000 else {
            // psql reports it and counts the command as successful.
            shell.reportSlashMessage("The server (version \(ServerVersionText.major(version))) does not support publications.")
            return
        }
        if modifiers.verbose {
            try describe(pattern: pattern, shell: shell)
            return
        }
        var query = SQLNamePattern(query: """
            SELECT pubname AS "Name",
              pg_catalog.pg_get_userbyid(pubowner) AS "Owner",
              puballtables AS "All tables",
              pubinsert AS "Inserts",
              pubupdate AS "Updates",
              pubdelete AS "Deletes"
            """, serverVersion: version)
        if version >= 110000 { query.query += ",\n  pubtruncate AS \"Truncates\"" }
        if version >= 180000 { query.query += ",\n " + generatedColumns + " AS \"Generated columns\"" }
        if version >= 130000 { query.query += ",\n  pubviaroot AS \"Via root\"" }
        query.query += "\nFROM pg_catalog.pg_publication\n"
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "pubname", visibilityRule: nil,
            maxParts: 1, database: shell.session.info.database)
        query.query += "ORDER BY 1;"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: "List of publications")
    }

    /// Which generated columns a publication publishes (PostgreSQL 18), as psql 18 shows it.
    static let generatedColumns = "(CASE pubgencols\n    WHEN 'n' THEN 'none'\n    WHEN 's' THEN 'stored'\n   END)"

    /// `\dRp+`: a table per publication; a publication of all tables has no footers.
    static func describe(pattern: String?, shell: Shell) throws {
        let version = shell.session.info.serverVersion
        let hasTruncate = version >= 110000
        let hasGeneratedColumns = version >= 180000
        let hasViaRoot = version >= 130000
        var query = SQLNamePattern(query: """
            SELECT oid, pubname,
              pg_catalog.pg_get_userbyid(pubowner) AS owner,
              puballtables, pubinsert, pubupdate, pubdelete
            """, serverVersion: version)
        if hasTruncate { query.query += ", pubtruncate" }
        if hasGeneratedColumns { query.query += ", " + generatedColumns + " AS \"Generated columns\"\n" }
        if hasViaRoot { query.query += ", pubviaroot" }
        query.query += "\nFROM pg_catalog.pg_publication\n"
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "pubname", visibilityRule: nil,
            maxParts: 1, database: shell.session.info.database)
        query.query += "ORDER BY 2;"
        let result = try shell.describeQuery(query.query)
        if result.rows.isEmpty {
            guard !shell.isQuiet else { throw ReportedFailure() }
            if let pattern { throw ShellFailure("Did not find any publication named \"\(pattern)\".") }
            throw ShellFailure("Did not find any publications.")
        }

        var columns = ["Owner", "All tables", "Inserts", "Updates", "Deletes"]
        if hasTruncate { columns.append("Truncates") }
        if hasGeneratedColumns { columns.append("Generated columns") }
        if hasViaRoot { columns.append("Via root") }
        for row in result.rows {
            let value = { (column: Int) in row[column] ?? "" }
            let id = value(0)
            var cells = [value(2), value(3), value(4), value(5), value(6)]
            var next = 7
            if hasTruncate { cells.append(value(next)); next += 1 }
            if hasGeneratedColumns { cells.append(value(next)); next += 1 }
            if hasViaRoot { cells.append(value(next)) }
            var footers: [String] = []
            if value(3) != "t" {
                let rowFilter = version >= 150000 ? """
                    , pg_get_expr(pr.prqual, c.oid), (CASE WHEN pr.prattrs IS NOT NULL THEN
                         pg_catalog.array_to_string(      ARRAY(SELECT attname
                                  FROM
                                    pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,
                                    pg_catalog.pg_attribute
                            WHERE attrelid = c.oid AND attnum = prattrs[s]), ', ')
                           ELSE NULL END)
                    """ : ", NULL, NULL"
                let tables = try shell.describeQuery("""
                    SELECT n.nspname, c.relname\(rowFilter)
                    FROM pg_catalog.pg_class c,
                         pg_catalog.pg_namespace n,
                         pg_catalog.pg_publication_rel pr
                    WHERE c.relnamespace = n.oid
                      AND c.oid = pr.prrelid
                      AND pr.prpubid = '\(id)'
                    ORDER BY 1,2
                    """)
                if !tables.rows.isEmpty { footers.append("Tables:") }
                for table in tables.rows {
                    var line = "    \"\(table[0] ?? "").\(table[1] ?? "")\""
                    if let columnList = table[3] { line += " (\(columnList))" }
                    if let filter = table[2] { line += " WHERE \(filter)" }
                    footers.append(line)
                }
                if version >= 150000 {
                    let schemas = try shell.describeQuery("""
                        SELECT n.nspname
                        FROM pg_catalog.pg_namespace n
                             JOIN pg_catalog.pg_publication_namespace pn ON n.oid = pn.pnnspid
                        WHERE pn.pnpubid = '\(id)'
                        ORDER BY 1
                        """)
                    if !schemas.rows.isEmpty { footers.append("Tables from schemas:") }
                    footers += schemas.rows.map { "    \"\($0[0] ?? "")\"" }
                }
            }
            shell.printDescribedRows(columns: columns, rows: [cells], title: "Publication \(value(1))", footers: footers.isEmpty ? nil : footers)
        }
    }
}
