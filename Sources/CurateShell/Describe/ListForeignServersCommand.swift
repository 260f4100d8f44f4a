import ArgumentParser
import CurateKit

/// `\des[+] [PATTERN]`: psql's `listForeignServers`.
struct ListForeignServersCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "des", abstract: "List foreign servers.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "des")
        let pattern = arguments.next(semicolon: true)?.value
        var query = SQLNamePattern(query: """
            SELECT s.srvname AS "Name",
              pg_catalog.pg_get_userbyid(s.srvowner) AS "Owner",
              f.fdwname AS "Foreign-data wrapper"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += ",\n  " + DescribeColumns.accessPrivileges("s.srvacl", serverVersion: shell.session.info.serverVersion)
            query.query += ",\n  s.srvtype AS \"Type\",\n  s.srvversion AS \"Version\",\n  "
            query.query += ForeignDataOptionsColumn.sql("srvoptions")
            query.query += ",\n  d.description AS \"Description\""
        }
        query.query += """

            FROM pg_catalog.pg_foreign_server s
                 JOIN pg_catalog.pg_foreign_data_wrapper f ON f.oid=s.srvfdw

            """
        if modifiers.verbose {
            query.query += """
                LEFT JOIN pg_catalog.pg_description d
                       ON d.classoid = s.tableoid AND d.objoid = s.oid AND d.objsubid = 0

                """
        }
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "s.srvname", visibilityRule: nil,
            maxParts: 1, database: shell.session.info.database)
        query.query += "ORDER BY 1;"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: "List of foreign servers")
    }
}
