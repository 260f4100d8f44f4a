import ArgumentParser
import CurateKit

/// `\dew[+] [PATTERN]`: psql's `listForeignDataWrappers`.
struct ListForeignDataWrappersCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dew", abstract: "List foreign-data wrappers.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dew")
        let pattern = arguments.next(semicolon: true)?.value
        var query = SQLNamePattern(query: """
            SELECT fdw.fdwname AS "Name",
              pg_catalog.pg_get_userbyid(fdw.fdwowner) AS "Owner",
              fdw.fdwhandler::pg_catalog.regproc AS "Handler",
              fdw.fdwvalidator::pg_catalog.regproc AS "Validator"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += ",\n  " + DescribeColumns.accessPrivileges("fdwacl", serverVersion: shell.session.info.serverVersion)
            query.query += ",\n " + ForeignDataOptionsColumn.sql("fdwoptions")
            query.query += ",\n  d.description AS \"Description\" "
        }
        query.query += "\nFROM pg_catalog.pg_foreign_data_wrapper fdw\n"
        if modifiers.verbose {
            query.query += """
                LEFT JOIN pg_catalog.pg_description d
                       ON d.classoid = fdw.tableoid AND d.objoid = fdw.oid AND d.objsubid = 0

                """
        }
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "fdwname", visibilityRule: nil,
            maxParts: 1, database: shell.session.info.database)
        query.query += "ORDER BY 1;"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: "List of foreign-data wrappers")
    }
}
