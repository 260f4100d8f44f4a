import ArgumentParser
import CurateKit

/// `\db[+] [PATTERN]`: psql's `describeTablespaces`.
struct ListTablespacesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "List tablespaces.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "db")
        let pattern = arguments.next(semicolon: true)?.value
        var query = SQLNamePattern(query: """
            SELECT spcname AS "Name",
              pg_catalog.pg_get_userbyid(spcowner) AS "Owner",
              pg_catalog.pg_tablespace_location(oid) AS "Location"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += ",\n  " + DescribeColumns.accessPrivileges("spcacl", serverVersion: shell.session.info.serverVersion)
            query.query += """
                ,
                  spcoptions AS "Options",
                  pg_catalog.pg_size_pretty(pg_catalog.pg_tablespace_size(oid)) AS "Size",
                  pg_catalog.shobj_description(oid, 'pg_tablespace') AS "Description"
                """
        }
        query.query += "\nFROM pg_catalog.pg_tablespace\n"
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "spcname", visibilityRule: nil,
            maxParts: 1, database: shell.session.info.database)
        query.query += "ORDER BY 1;"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: "List of tablespaces")
    }
}
