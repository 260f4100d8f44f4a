import ArgumentParser
import CurateKit

/// `\dFt[+] [PATTERN]`: psql's `listTSTemplates`.
struct ListTextSearchTemplatesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dFt", abstract: "List text search templates.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dFt")
        let pattern = arguments.describePattern()
        var query = SQLNamePattern(query: "SELECT\n  n.nspname AS \"Schema\",\n  t.tmplname AS \"Name\",\n", serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += "  t.tmplinit::pg_catalog.regproc AS \"Init\",\n  t.tmpllexize::pg_catalog.regproc AS \"Lexize\",\n"
        }
        query.query += """
              pg_catalog.obj_description(t.oid, 'pg_ts_template') AS "Description"
            FROM pg_catalog.pg_ts_template t
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace

            """
        try query.validate(
            pattern, haveWhere: false, schemaColumn: "n.nspname", nameColumn: "t.tmplname",
            visibilityRule: "pg_catalog.pg_ts_template_is_visible(t.oid)", maxParts: 3,
            database: shell.session.info.database)
        query.query += "ORDER BY 1, 2;"
        try shell.listDescribed(query.query, title: "List of text search templates")
    }
}
