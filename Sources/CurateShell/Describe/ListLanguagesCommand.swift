import ArgumentParser
import CurateKit

/// `\dL[S+] [PATTERN]`: psql's `listLanguages`.
struct ListLanguagesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dL", abstract: "List procedural languages.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dL")
        let pattern = arguments.describePattern()
        var query = SQLNamePattern(query: """
            SELECT l.lanname AS "Name",
                   pg_catalog.pg_get_userbyid(l.lanowner) as "Owner",
                   l.lanpltrusted AS "Trusted"
            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += ",\n       NOT l.lanispl AS \"Internal language\",\n"
                + "       l.lanplcallfoid::pg_catalog.regprocedure AS \"Call handler\",\n"
                + "       l.lanvalidator::pg_catalog.regprocedure AS \"Validator\",\n"
                + "       l.laninline::pg_catalog.regprocedure AS \"Inline handler\",\n       "
                + DescribeColumns.accessPrivileges("l.lanacl", serverVersion: shell.session.info.serverVersion)
        }
        query.query += """
            ,
                   d.description AS "Description"
            FROM pg_catalog.pg_language l
            LEFT JOIN pg_catalog.pg_description d
              ON d.classoid = l.tableoid AND d.objoid = l.oid
              AND d.objsubid = 0

            """
        if pattern != nil {
            try query.validate(
                pattern, haveWhere: false, schemaColumn: nil, nameColumn: "l.lanname", visibilityRule: nil,
                maxParts: 2, database: shell.session.info.database)
        }
        if !modifiers.system && pattern == nil {
            query.query += "WHERE l.lanplcallfoid != 0\n"
        }
        query.query += "ORDER BY 1;"
        try shell.listDescribed(query.query, title: "List of languages")
    }
}
