import ArgumentParser
import CurateKit

/// `\dC[+] [PATTERN]`: psql's `listCasts`; the pattern matches the source or the target type.
struct ListCastsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dC", abstract: "List casts.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dC")
        let pattern = arguments.describePattern()
        let database = shell.session.info.database
        var query = SQLNamePattern(query: """
            SELECT pg_catalog.format_type(castsource, NULL) AS "Source type",
                   pg_catalog.format_type(casttarget, NULL) AS "Target type",
                   CASE WHEN c.castmethod = 'b' THEN '(binary coercible)'
                        WHEN c.castmethod = 'i' THEN '(with inout)'
                        ELSE p.proname
                   END AS "Function",
                   CASE WHEN c.castcontext = 'e' THEN 'no'
                        WHEN c.castcontext = 'a' THEN 'in assignment'
                        ELSE 'yes'
                   END AS "Implicit?"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            // psql 18 (servers of 18 on) shows whether the cast's function is leakproof.
            if shell.session.info.serverVersion >= 180000 {
                query.query += ",\n       CASE WHEN p.proleakproof THEN 'yes'\n            ELSE 'no'\n       END AS \"Leakproof?\""
            }
            query.query += ",\n       d.description AS \"Description\""
        }
        query.query += """

            FROM pg_catalog.pg_cast c LEFT JOIN pg_catalog.pg_proc p
                 ON c.castfunc = p.oid
                 LEFT JOIN pg_catalog.pg_type ts
                 ON c.castsource = ts.oid
                 LEFT JOIN pg_catalog.pg_namespace ns
                 ON ns.oid = ts.typnamespace
                 LEFT JOIN pg_catalog.pg_type tt
                 ON c.casttarget = tt.oid
                 LEFT JOIN pg_catalog.pg_namespace nt
                 ON nt.oid = tt.typnamespace

            """
        if modifiers.verbose {
            query.query += """
                     LEFT JOIN pg_catalog.pg_description d
                     ON d.classoid = c.tableoid AND d.objoid = c.oid AND d.objsubid = 0

                """
        }
        query.query += "WHERE ( (true"
        try query.validate(
            pattern, haveWhere: true, schemaColumn: "ns.nspname", nameColumn: "ts.typname",
            alternateNameColumn: "pg_catalog.format_type(ts.oid, NULL)",
            visibilityRule: "pg_catalog.pg_type_is_visible(ts.oid)", maxParts: 3, database: database)
        query.query += ") OR (true"
        try query.validate(
            pattern, haveWhere: true, schemaColumn: "nt.nspname", nameColumn: "tt.typname",
            alternateNameColumn: "pg_catalog.format_type(tt.oid, NULL)",
            visibilityRule: "pg_catalog.pg_type_is_visible(tt.oid)", maxParts: 3, database: database)
        query.query += ") )\nORDER BY 1, 2;"
        try shell.listDescribed(query.query, title: "List of casts")
    }
}
