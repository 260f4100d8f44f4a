import ArgumentParser
import CurateKit

/// `\df[anptwS+] [PATTERN [TYPEPTRN ...]]`: psql's `describeFunctions`. The letters choose kinds
/// (aggregate, normal, procedure, trigger, window); patterns after the name match the
/// argument types in order (`-` for no such argument).
struct ListFunctionsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "df", abstract: "List functions.")
    static let synopsis = "[PATTERN [TYPEPTRN ...]]"
    static let nameModifiers: Set<Character> = ["a", "n", "p", "t", "w", "S", "+"]

    /// psql's FUNC_MAX_ARGS: it reads at most this many type patterns.
    static let maximumArgumentPatterns = 100

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "df")
        let pattern = arguments.describePattern()
        var typePatterns: [String] = []
        if pattern != nil {
            while typePatterns.count < maximumArgumentPatterns, let next = arguments.describePattern() {
                typePatterns.append(next)
            }
        }
        let version = shell.session.info.serverVersion
        let letters = modifiers.letters
        var showAggregate = letters.contains("a"), showNormal = letters.contains("n")
        var showProcedure = letters.contains("p"), showTrigger = letters.contains("t")
        var showWindow = letters.contains("w")
        if showProcedure && version < 110000 {
            shell.reportSlashMessage(
                "\\df does not take a \"p\" option with server version \(ServerVersionText.major(version))")
            return
        }
        if !showAggregate && !showNormal && !showProcedure && !showTrigger && !showWindow {
            showAggregate = true
            showNormal = true
            showTrigger = true
            showWindow = true
            if version >= 110000 { showProcedure = true }
        }

        var query = SQLNamePattern(query: """
            SELECT n.nspname as "Schema",
              p.proname as "Name",

            """, serverVersion: version)
        if version >= 110000 {
            query.query += """
                  pg_catalog.pg_get_function_result(p.oid) as "Result data type",
                  pg_catalog.pg_get_function_arguments(p.oid) as "Argument data types",
                 CASE p.prokind
                  WHEN 'a' THEN 'agg'
                  WHEN 'w' THEN 'window'
                  WHEN 'p' THEN 'proc'
                  ELSE 'func'
                 END as "Type"
                """
        } else {
            query.query += """
                  pg_catalog.pg_get_function_result(p.oid) as "Result data type",
                  pg_catalog.pg_get_function_arguments(p.oid) as "Argument data types",
                 CASE
                  WHEN p.proisagg THEN 'agg'
                  WHEN p.proiswindow THEN 'window'
                  WHEN p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype THEN 'trigger'
                  ELSE 'func'
                 END as "Type"
                """
        }
        if modifiers.verbose {
            query.query += """
                ,
                 CASE
                  WHEN p.provolatile = 'i' THEN 'immutable'
                  WHEN p.provolatile = 's' THEN 'stable'
                  WHEN p.provolatile = 'v' THEN 'volatile'
                 END as "Volatility"
                """
            if version >= 90600 {
                query.query += """
                    ,
                     CASE
                      WHEN p.proparallel = 'r' THEN 'restricted'
                      WHEN p.proparallel = 's' THEN 'safe'
                      WHEN p.proparallel = 'u' THEN 'unsafe'
                     END as "Parallel"
                    """
            }
            query.query += ",\n pg_catalog.pg_get_userbyid(p.proowner) as \"Owner\""
            query.query += ",\n CASE WHEN prosecdef THEN 'definer' ELSE 'invoker' END AS \"Security\""
            // psql 18 (servers of 18 on) shows leakproofness, and the C symbol or internal name in
            // place of the source code (which \sf shows).
            if version >= 180000 {
                query.query += ",\n CASE WHEN p.proleakproof THEN 'yes' ELSE 'no' END as \"Leakproof?\""
            }
            query.query += ",\n " + DescribeColumns.accessPrivileges("p.proacl", serverVersion: version)
            query.query += ",\n l.lanname as \"Language\""
            if version >= 180000 {
                query.query += ",\n CASE WHEN l.lanname IN ('internal', 'c') THEN p.prosrc END as \"Internal name\""
            } else {
                query.query += version >= 140000
                    ? ",\n COALESCE(pg_catalog.pg_get_function_sqlbody(p.oid), p.prosrc) as \"Source code\""
                    : ",\n p.prosrc as \"Source code\""
            }
            query.query += ",\n pg_catalog.obj_description(p.oid, 'pg_proc') as \"Description\""
        }
        query.query += "\nFROM pg_catalog.pg_proc p\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n"
        for index in typePatterns.indices {
            query.query += "     LEFT JOIN pg_catalog.pg_type t\(index) ON t\(index).oid = p.proargtypes[\(index)]\n"
            query.query += "     LEFT JOIN pg_catalog.pg_namespace nt\(index) ON nt\(index).oid = t\(index).typnamespace\n"
        }
        if modifiers.verbose {
            query.query += "     LEFT JOIN pg_catalog.pg_language l ON l.oid = p.prolang\n"
        }

        var haveWhere = false
        func condition(_ text: String) {
            query.query += haveWhere ? "      AND " : "WHERE "
            haveWhere = true
            query.query += text + "\n"
        }
        if showNormal && showAggregate && showProcedure && showTrigger && showWindow {
            // Every kind: no condition.
        } else if showNormal {
            if !showAggregate { condition(version >= 110000 ? "p.prokind <> 'a'" : "NOT p.proisagg") }
            if !showProcedure && version >= 110000 { condition("p.prokind <> 'p'") }
            if !showTrigger { condition("p.prorettype <> 'pg_catalog.trigger'::pg_catalog.regtype") }
            if !showWindow { condition(version >= 110000 ? "p.prokind <> 'w'" : "NOT p.proiswindow") }
        } else {
            var kinds: [String] = []
            if showAggregate { kinds.append(version >= 110000 ? "p.prokind = 'a'\n" : "p.proisagg\n") }
            if showTrigger { kinds.append("p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype\n") }
            if showProcedure { kinds.append("p.prokind = 'p'\n") }
            if showWindow { kinds.append(version >= 110000 ? "p.prokind = 'w'\n" : "p.proiswindow\n") }
            query.query += "WHERE (\n       " + kinds.joined(separator: "       OR ") + "      )\n"
            haveWhere = true
        }

        let database = shell.session.info.database
        try query.validate(
            pattern, haveWhere: haveWhere, schemaColumn: "n.nspname", nameColumn: "p.proname",
            visibilityRule: "pg_catalog.pg_function_is_visible(p.oid)", maxParts: 3, database: database)
        try query.appendArgumentTypes(typePatterns, database: database)
        if !modifiers.system && pattern == nil {
            query.query += "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n"
        }
        query.query += "ORDER BY 1, 2, 4;"
        try shell.listDescribed(query.query, title: "List of functions")
    }
}
