import ArgumentParser
import CurateKit

/// `\dc[S+] [PATTERN]`: psql's `listConversions`.
struct ListConversionsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dc", abstract: "List conversions.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dc")
        let pattern = arguments.describePattern()
        var query = SQLNamePattern(query: """
            SELECT n.nspname AS "Schema",
                   c.conname AS "Name",
                   pg_catalog.pg_encoding_to_char(c.conforencoding) AS "Source",
                   pg_catalog.pg_encoding_to_char(c.contoencoding) AS "Destination",
                   CASE WHEN c.condefault THEN 'yes'
                   ELSE 'no' END AS "Default?"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += ",\n       d.description AS \"Description\""
        }
        query.query += "\nFROM pg_catalog.pg_conversion c\n     JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace\n"
        if modifiers.verbose {
            query.query += """
                LEFT JOIN pg_catalog.pg_description d ON d.classoid = c.tableoid
                          AND d.objoid = c.oid AND d.objsubid = 0

                """
        }
        query.query += "WHERE true\n"
        if !modifiers.system && pattern == nil {
            query.query += "  AND n.nspname <> 'pg_catalog'\n  AND n.nspname <> 'information_schema'\n"
        }
        try query.validate(
            pattern, haveWhere: true, schemaColumn: "n.nspname", nameColumn: "c.conname",
            visibilityRule: "pg_catalog.pg_conversion_is_visible(c.oid)", maxParts: 3,
            database: shell.session.info.database)
        query.query += "ORDER BY 1, 2;"
        try shell.listDescribed(query.query, title: "List of conversions")
    }
}
