import ArgumentParser
import CurateKit

/// `\da[S+] [PATTERN]`: psql's `describeAggregates`.
struct ListAggregatesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "da", abstract: "List aggregates.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "da")
        let pattern = arguments.describePattern()
        let version = shell.session.info.serverVersion
        var query = SQLNamePattern(query: """
            SELECT n.nspname as "Schema",
              p.proname AS "Name",
              pg_catalog.format_type(p.prorettype, NULL) AS "Result data type",
              CASE WHEN p.pronargs = 0
                THEN CAST('*' AS pg_catalog.text)
                ELSE pg_catalog.pg_get_function_arguments(p.oid)
              END AS "Argument data types",
              pg_catalog.obj_description(p.oid, 'pg_proc') as "Description"
            FROM pg_catalog.pg_proc p
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace

            """, serverVersion: version)
        query.query += version >= 110000 ? "WHERE p.prokind = 'a'\n" : "WHERE p.proisagg\n"
        if !modifiers.system && pattern == nil {
            query.query += "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n"
        }
        try query.validate(
            pattern, haveWhere: true, schemaColumn: "n.nspname", nameColumn: "p.proname",
            visibilityRule: "pg_catalog.pg_function_is_visible(p.oid)", maxParts: 3, database: shell.session.info.database)
        query.query += "ORDER BY 1, 2, 4;"
        try shell.listDescribed(query.query, title: "List of aggregate functions")
    }
}
