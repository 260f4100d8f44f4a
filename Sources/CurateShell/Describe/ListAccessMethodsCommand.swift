import ArgumentParser
import CurateKit

/// `\dA[+] [PATTERN]`: psql's `describeAccessMethods`.
struct ListAccessMethodsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dA", abstract: "List access methods.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dA")
        let pattern = arguments.describePattern()
        let version = shell.session.info.serverVersion
        if version < 90600 {
            shell.reportSlashMessage(
                "The server (version \(ServerVersionText.major(version))) does not support access methods.")
            return
        }
        var query = SQLNamePattern(query: """
            SELECT amname AS "Name",
              CASE amtype WHEN 'i' THEN 'Index' WHEN 't' THEN 'Table' END AS "Type"
            """, serverVersion: version)
        if modifiers.verbose {
            query.query += """
                ,
                  amhandler AS "Handler",
                  pg_catalog.obj_description(oid, 'pg_am') AS "Description"
                """
        }
        query.query += "\nFROM pg_catalog.pg_am\n"
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "amname", visibilityRule: nil, maxParts: 1,
            database: shell.session.info.database)
        query.query += "ORDER BY 1;"
        try shell.listDescribed(query.query, title: "List of access methods")
    }
}
