import ArgumentParser
import CurateKit

/// `\drds [ROLEPTRN [DBPTRN]]`: psql's `listDbRoleSettings`, the settings made with
/// `ALTER ROLE ... SET` and `ALTER DATABASE ... SET`, per role and database.
struct ListRoleSettingsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "drds", abstract: "List per-database role settings.")
    static let synopsis = "[ROLEPTRN [DBPTRN]]"
    // psql reads any letters after the name as part of it.
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let rolePattern = arguments.next(semicolon: true)?.value
        // The database pattern is read only after a role pattern.
        let databasePattern = rolePattern == nil ? nil : arguments.next(semicolon: true)?.value
        var query = SQLNamePattern(query: """
            SELECT rolname AS "Role", datname AS "Database",
            pg_catalog.array_to_string(setconfig, E'\\n') AS "Settings"
            FROM pg_catalog.pg_db_role_setting s
            LEFT JOIN pg_catalog.pg_database d ON d.oid = setdatabase
            LEFT JOIN pg_catalog.pg_roles r ON r.oid = setrole

            """, serverVersion: shell.session.info.serverVersion)
        let database = shell.session.info.database
        let haveWhere = try query.validate(
            rolePattern, haveWhere: false, schemaColumn: nil, nameColumn: "r.rolname", visibilityRule: nil,
            maxParts: 1, database: database)
        try query.validate(
            databasePattern, haveWhere: haveWhere, schemaColumn: nil, nameColumn: "d.datname", visibilityRule: nil,
            maxParts: 1, database: database)
        query.query += "ORDER BY 1, 2;"
        let result = try shell.describeQuery(query.query)

        // psql reports an empty answer (with QUIET it prints the empty table), in case the two
        // patterns were swapped, and counts the command as successful.
        if result.rows.isEmpty && !shell.isQuiet {
            if let rolePattern, let databasePattern {
                shell.reportSlashMessage("Did not find any settings for role \"\(rolePattern)\" and database \"\(databasePattern)\".")
            } else if let rolePattern {
                shell.reportSlashMessage("Did not find any settings for role \"\(rolePattern)\".")
            } else {
                shell.reportSlashMessage("Did not find any settings.")
            }
            return
        }
        shell.printDescribed(result, title: "List of settings")
    }
}
