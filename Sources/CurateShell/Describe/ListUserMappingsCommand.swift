import ArgumentParser
import CurateKit

/// `\deu[+] [PATTERN]`: psql's `listUserMappings`; the pattern matches the server or the user.
struct ListUserMappingsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "deu", abstract: "List user mappings.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "deu")
        let pattern = arguments.next(semicolon: true)?.value
        var query = SQLNamePattern(query: """
            SELECT um.srvname AS "Server",
              um.usename AS "User name"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += ",\n " + ForeignDataOptionsColumn.sql("umoptions")
        }
        query.query += "\nFROM pg_catalog.pg_user_mappings um\n"
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "um.srvname", alternateNameColumn: "um.usename",
            visibilityRule: nil, maxParts: 1, database: shell.session.info.database)
        query.query += "ORDER BY 1, 2;"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: "List of user mappings")
    }
}
