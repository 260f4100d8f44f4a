import ArgumentParser
import CurateKit

/// `\dFd[+] [PATTERN]`: psql's `listTSDictionaries`.
struct ListTextSearchDictionariesCommand: SlashCommand {
    static let configuration = CommandConfiguration(
        commandName: "dFd", abstract: "List text search dictionaries.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dFd")
        let pattern = arguments.describePattern()
        var query = SQLNamePattern(query: """
            SELECT
              n.nspname as "Schema",
              d.dictname as "Name",

            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += """
                  ( SELECT COALESCE(nt.nspname, '(null)')::pg_catalog.text || '.' || t.tmplname FROM
                    pg_catalog.pg_ts_template t
                    LEFT JOIN pg_catalog.pg_namespace nt ON nt.oid = t.tmplnamespace
                    WHERE d.dicttemplate = t.oid ) AS  "Template",
                  d.dictinitoption as "Init options",

                """
        }
        query.query += """
              pg_catalog.obj_description(d.oid, 'pg_ts_dict') as "Description"
            FROM pg_catalog.pg_ts_dict d
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace

            """
        try query.validate(
            pattern, haveWhere: false, schemaColumn: "n.nspname", nameColumn: "d.dictname",
            visibilityRule: "pg_catalog.pg_ts_dict_is_visible(d.oid)", maxParts: 3,
            database: shell.session.info.database)
        query.query += "ORDER BY 1, 2;"
        try shell.listDescribed(query.query, title: "List of text search dictionaries")
    }
}
