import ArgumentParser
import CurateKit

/// `\do[S+] [OPPTRN [TYPEPTRN [TYPEPTRN]]]`: psql's `describeOperators`. One type pattern
/// matches a prefix operator's operand; two match the left and right operands (`-` for none).
struct ListOperatorsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "do", abstract: "List operators.")
    static let synopsis = "[OPPTRN [TYPEPTRN [TYPEPTRN]]]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "do")
        let pattern = arguments.describePattern()
        var typePatterns: [String] = []
        if pattern != nil {
            // psql reads them all (up to FUNC_MAX_ARGS) and uses the first two.
            while typePatterns.count < ListFunctionsCommand.maximumArgumentPatterns,
                let next = arguments.describePattern()
            {
                typePatterns.append(next)
            }
        }
        typePatterns = Array(typePatterns.prefix(2))
        var query = SQLNamePattern(query: """
            SELECT n.nspname as "Schema",
              o.oprname AS "Name",
              CASE WHEN o.oprkind='l' THEN NULL ELSE pg_catalog.format_type(o.oprleft, NULL) END AS "Left arg type",
              CASE WHEN o.oprkind='r' THEN NULL ELSE pg_catalog.format_type(o.oprright, NULL) END AS "Right arg type",
              pg_catalog.format_type(o.oprresult, NULL) AS "Result type",

            """, serverVersion: shell.session.info.serverVersion)
        // psql 18 (servers of 18 on) shows whether the operator's function is leakproof.
        let showsLeakproof = modifiers.verbose && shell.session.info.serverVersion >= 180000
        if modifiers.verbose {
            query.query += "  o.oprcode AS \"Function\",\n"
        }
        if showsLeakproof {
            query.query += "  CASE WHEN p.proleakproof THEN 'yes' ELSE 'no' END AS \"Leakproof?\",\n"
        }
        query.query += """
              coalesce(pg_catalog.obj_description(o.oid, 'pg_operator'),
                       pg_catalog.obj_description(o.oprcode, 'pg_proc')) AS "Description"
            FROM pg_catalog.pg_operator o
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace

            """
        if typePatterns.count == 2 {
            query.query += """
                     LEFT JOIN pg_catalog.pg_type t0 ON t0.oid = o.oprleft
                     LEFT JOIN pg_catalog.pg_namespace nt0 ON nt0.oid = t0.typnamespace
                     LEFT JOIN pg_catalog.pg_type t1 ON t1.oid = o.oprright
                     LEFT JOIN pg_catalog.pg_namespace nt1 ON nt1.oid = t1.typnamespace

                """
        } else if typePatterns.count == 1 {
            query.query += """
                     LEFT JOIN pg_catalog.pg_type t0 ON t0.oid = o.oprright
                     LEFT JOIN pg_catalog.pg_namespace nt0 ON nt0.oid = t0.typnamespace

                """
        }
        if showsLeakproof {
            query.query += "     LEFT JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode\n"
        }
        let hidesSystem = !modifiers.system && pattern == nil
        if hidesSystem {
            query.query += "WHERE n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n"
        }
        let database = shell.session.info.database
        try query.validate(
            pattern, haveWhere: hidesSystem, forceEscape: true, schemaColumn: "n.nspname", nameColumn: "o.oprname",
            visibilityRule: "pg_catalog.pg_operator_is_visible(o.oid)", maxParts: 3, database: database)
        if typePatterns.count == 1 {
            query.query += "  AND o.oprleft = 0\n"
        }
        try query.appendArgumentTypes(typePatterns, database: database)
        query.query += "ORDER BY 1, 2, 3, 4;"
        try shell.listDescribed(query.query, title: "List of operators")
    }
}
