import ArgumentParser
import CurateKit

/// `\dD[S+] [PATTERN]`: psql's `listDomains`.
struct ListDomainsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dD", abstract: "List domains.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dD")
        let pattern = arguments.describePattern()
        // psql 18 (servers of 18 on, where a domain's NOT NULL is a constraint too) shows only the
        // check constraints, in name order.
        let checkFilter = shell.session.info.serverVersion >= 180000 ? " AND r.contype = 'c' ORDER BY r.conname" : ""
        var query = SQLNamePattern(query: """
            SELECT n.nspname as "Schema",
                   t.typname as "Name",
                   pg_catalog.format_type(t.typbasetype, t.typtypmod) as "Type",
                   (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type bt
                    WHERE c.oid = t.typcollation AND bt.oid = t.typbasetype AND t.typcollation <> bt.typcollation) as "Collation",
                   CASE WHEN t.typnotnull THEN 'not null' END as "Nullable",
                   t.typdefault as "Default",
                   pg_catalog.array_to_string(ARRAY(
                     SELECT pg_catalog.pg_get_constraintdef(r.oid, true) FROM pg_catalog.pg_constraint r WHERE t.oid = r.contypid\(checkFilter)
                   ), ' ') as "Check"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += ",\n  " + DescribeColumns.accessPrivileges("t.typacl", serverVersion: shell.session.info.serverVersion)
            query.query += ",\n       d.description as \"Description\""
        }
        query.query += "\nFROM pg_catalog.pg_type t\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n"
        if modifiers.verbose {
            query.query += "     LEFT JOIN pg_catalog.pg_description d ON d.classoid = t.tableoid AND d.objoid = t.oid AND d.objsubid = 0\n"
        }
        query.query += "WHERE t.typtype = 'd'\n"
        if !modifiers.system && pattern == nil {
            query.query += "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n"
        }
        try query.validate(
            pattern, haveWhere: true, schemaColumn: "n.nspname", nameColumn: "t.typname",
            visibilityRule: "pg_catalog.pg_type_is_visible(t.oid)", maxParts: 3, database: shell.session.info.database)
        query.query += "ORDER BY 1, 2;"
        try shell.listDescribed(query.query, title: "List of domains")
    }
}
