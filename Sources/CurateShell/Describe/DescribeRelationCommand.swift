import ArgumentParser
import CurateKit

/// `\d[S+] [PATTERN]`: psql's `describeTableDetails` — every relation matching the pattern
/// described in turn (columns and footers); without a pattern, psql's `listTables` of tables,
/// views, materialized views, sequences and foreign tables.
struct DescribeRelationCommand: SlashCommand {
    static let configuration = CommandConfiguration(
        commandName: "d", abstract: "Describe a table, view, sequence or index; list relations without a pattern.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "d")
        guard let pattern = arguments.next(semicolon: true)?.value else {
            try RelationList.list(kinds: "tvmsE", pattern: nil, modifiers: modifiers, shell: shell)
            return
        }
        var query = SQLNamePattern(query: """
            SELECT c.oid,
              n.nspname,
              c.relname
            FROM pg_catalog.pg_class c
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace

            """, serverVersion: shell.session.info.serverVersion)
        try query.validate(
            pattern, haveWhere: false, schemaColumn: "n.nspname", nameColumn: "c.relname",
            visibilityRule: "pg_catalog.pg_table_is_visible(c.oid)", maxParts: 3, database: shell.session.info.database)
        query.query += "ORDER BY 2, 3;"
        let found = try shell.describeQuery(query.query)
        if found.rows.isEmpty {
            if shell.isQuiet { throw ReportedFailure() }
            throw ShellFailure("Did not find any relation named \"\(pattern)\".")
        }
        for row in found.rows {
            var describer = RelationDescriber(
                shell: shell, oid: row[0] ?? "", schema: row[1] ?? "", name: row[2] ?? "", verbose: modifiers.verbose)
            try describer.describe()
        }
    }
}
