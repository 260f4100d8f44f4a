import ArgumentParser
import CurateKit

/// `\dFp[+] [PATTERN]`: psql's `listTSParsers`; with `+` each parser's methods and token types
/// (its `listTSParsersVerbose`).
struct ListTextSearchParsersCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dFp", abstract: "List text search parsers.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dFp")
        let pattern = arguments.describePattern()
        let version = shell.session.info.serverVersion
        let database = shell.session.info.database
        if !modifiers.verbose {
            var query = SQLNamePattern(query: """
                SELECT
                  n.nspname as "Schema",
                  p.prsname as "Name",
                  pg_catalog.obj_description(p.oid, 'pg_ts_parser') as "Description"
                FROM pg_catalog.pg_ts_parser p
                LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace

                """, serverVersion: version)
            try query.validate(
                pattern, haveWhere: false, schemaColumn: "n.nspname", nameColumn: "p.prsname",
                visibilityRule: "pg_catalog.pg_ts_parser_is_visible(p.oid)", maxParts: 3, database: database)
            query.query += "ORDER BY 1, 2;"
            try shell.listDescribed(query.query, title: "List of text search parsers")
            return
        }
        var query = SQLNamePattern(query: """
            SELECT p.oid,
              n.nspname,
              p.prsname
            FROM pg_catalog.pg_ts_parser p
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace

            """, serverVersion: version)
        try query.validate(
            pattern, haveWhere: false, schemaColumn: "n.nspname", nameColumn: "p.prsname",
            visibilityRule: "pg_catalog.pg_ts_parser_is_visible(p.oid)", maxParts: 3, database: database)
        query.query += "ORDER BY 1, 2;"
        let parsers = try shell.describeQuery(query.query)
        if parsers.rows.isEmpty {
            if !shell.isQuiet {
                shell.reportSlashMessage(
                    pattern.map { "Did not find any text search parser named \"\($0)\"." }
                        ?? "Did not find any text search parsers.")
            }
            throw ReportedFailure()
        }
        for row in parsers.rows {
            let oid = row[0] ?? ""
            let parser = row[1].map { "\($0).\(row[2] ?? "")" } ?? (row[2] ?? "")
            let methods = try shell.describeQuery("""
                SELECT 'Start parse' AS "Method",
                   p.prsstart::pg_catalog.regproc AS "Function",
                   pg_catalog.obj_description(p.prsstart, 'pg_proc') as "Description"
                 FROM pg_catalog.pg_ts_parser p
                 WHERE p.oid = '\(oid)'
                UNION ALL
                SELECT 'Get next token',
                   p.prstoken::pg_catalog.regproc,
                   pg_catalog.obj_description(p.prstoken, 'pg_proc')
                 FROM pg_catalog.pg_ts_parser p
                 WHERE p.oid = '\(oid)'
                UNION ALL
                SELECT 'End parse',
                   p.prsend::pg_catalog.regproc,
                   pg_catalog.obj_description(p.prsend, 'pg_proc')
                 FROM pg_catalog.pg_ts_parser p
                 WHERE p.oid = '\(oid)'
                UNION ALL
                SELECT 'Get headline',
                   p.prsheadline::pg_catalog.regproc,
                   pg_catalog.obj_description(p.prsheadline, 'pg_proc')
                 FROM pg_catalog.pg_ts_parser p
                 WHERE p.oid = '\(oid)'
                UNION ALL
                SELECT 'Get token types',
                   p.prslextype::pg_catalog.regproc,
                   pg_catalog.obj_description(p.prslextype, 'pg_proc')
                 FROM pg_catalog.pg_ts_parser p
                 WHERE p.oid = '\(oid)';
                """)
            shell.printDescribed(methods, title: "Text search parser \"\(parser)\"", footers: [])
            let tokens = try shell.describeQuery("""
                SELECT t.alias as "Token name",
                  t.description as "Description"
                FROM pg_catalog.ts_token_type( '\(oid)'::pg_catalog.oid ) as t
                ORDER BY 1;
                """)
            shell.printDescribed(tokens, title: "Token types for parser \"\(parser)\"")
        }
    }
}
