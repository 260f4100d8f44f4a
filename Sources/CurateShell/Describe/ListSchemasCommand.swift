import ArgumentParser
import CurateKit

/// `\dn[S+] [PATTERN]`: psql's `listSchemas`, with its query, title and footers.
struct ListSchemasCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dn", abstract: "List schemas.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dn")
        let pattern = arguments.describePattern()
        let version = shell.session.info.serverVersion
        var query = SQLNamePattern(query: """
            SELECT n.nspname AS "Name",
              pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner"
            """, serverVersion: version)
        if modifiers.verbose {
            query.query += ",\n  " + DescribeColumns.accessPrivileges("n.nspacl", serverVersion: shell.session.info.serverVersion)
            query.query += ",\n  pg_catalog.obj_description(n.oid, 'pg_namespace') AS \"Description\""
        }
        query.query += "\nFROM pg_catalog.pg_namespace n\n"
        let hidesSystem = !modifiers.system && pattern == nil
        if hidesSystem {
            query.query += "WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'\n"
        }
        try query.validate(
            pattern, haveWhere: hidesSystem, schemaColumn: nil, nameColumn: "n.nspname", visibilityRule: nil,
            maxParts: 2, database: shell.session.info.database)
        query.query += "ORDER BY 1;"
        let result = try shell.describeQuery(query.query)

        var footers: [String]? = nil
        if let pattern, version >= 150000 {
            // psql puts the pattern into this query as typed (its own quirk, kept for the same output).
            let publications = try shell.describeQuery("""
                SELECT pubname \nFROM pg_catalog.pg_publication p
                     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid
                     JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid \nWHERE n.nspname = '\(pattern)'
                ORDER BY 1
                """)
            if !publications.rows.isEmpty {
                footers = ["Publications:"] + publications.rows.map { "    \"\($0[0] ?? "")\"" }
            }
        }
        shell.printDescribed(result, title: "List of schemas", footers: footers)
    }
}
