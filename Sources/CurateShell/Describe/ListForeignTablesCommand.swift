import ArgumentParser
import CurateKit

/// `\det[+] [PATTERN]`: psql's `listForeignTables`, the foreign tables with their servers.
struct ListForeignTablesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "det", abstract: "List foreign tables.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "det")
        let pattern = arguments.next(semicolon: true)?.value
        var query = SQLNamePattern(query: """
            SELECT n.nspname AS "Schema",
              c.relname AS "Table",
              s.srvname AS "Server"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += ",\n " + ForeignDataOptionsColumn.sql("ftoptions")
            query.query += ",\n  d.description AS \"Description\""
        }
        query.query += """

            FROM pg_catalog.pg_foreign_table ft
              INNER JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid
              INNER JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              INNER JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver

            """
        if modifiers.verbose {
            query.query += """
                   LEFT JOIN pg_catalog.pg_description d
                          ON d.classoid = c.tableoid AND d.objoid = c.oid AND d.objsubid = 0

                """
        }
        try query.validate(
            pattern, haveWhere: false, schemaColumn: "n.nspname", nameColumn: "c.relname",
            visibilityRule: "pg_catalog.pg_table_is_visible(c.oid)", maxParts: 3, database: shell.session.info.database)
        query.query += "ORDER BY 1, 2;"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: "List of foreign tables")
    }
}
