import ArgumentParser
import CurateKit

/// `\dp [PATTERN]` and `\z [PATTERN]`: psql's `permissionsList`, the access privileges of
/// tables, views, materialized views, sequences and foreign tables, with their column privileges
/// and row-security policies.
struct ListPrivilegesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dp", abstract: "List table, view and sequence access privileges.")
    static let synopsis = "[PATTERN]"
    // psql reads any letters after the name as part of it.
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dp")
        try list(pattern: arguments.next(semicolon: true)?.value, system: modifiers.system, shell: shell)
    }

    /// `system`: `S`, which psql 18 reads (servers of 18 on) to show the system schemas' tables too.
    static func list(pattern: String?, system: Bool = false, shell: Shell) throws {
        let version = shell.session.info.serverVersion
        var query = SQLNamePattern(query: """
            SELECT n.nspname as "Schema",
              c.relname as "Name",
              CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' \
            WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' END as "Type",
            """, serverVersion: version)
        query.query += "\n  " + DescribeColumns.accessPrivileges("c.relacl", serverVersion: shell.session.info.serverVersion)
        query.query += #"""
            ,
              pg_catalog.array_to_string(ARRAY(
                SELECT attname || E':\n  ' || pg_catalog.array_to_string(attacl, E'\n  ')
                FROM pg_catalog.pg_attribute a
                WHERE attrelid = c.oid AND NOT attisdropped AND attacl IS NOT NULL
              ), E'\n') AS "Column privileges"
            """#
        if version >= 90500 {
            // Restrictive policies exist from 10 on.
            let restrictive = version >= 100000 ? #"""
                    || CASE WHEN NOT polpermissive THEN
                       E' (RESTRICTIVE)'
                       ELSE '' END

                """# : ""
            query.query += #"""
                ,
                  pg_catalog.array_to_string(ARRAY(
                    SELECT polname

                """# + restrictive + #"""
                    || CASE WHEN polcmd != '*' THEN
                           E' (' || polcmd::pg_catalog.text || E'):'
                       ELSE E':'
                       END
                    || CASE WHEN polqual IS NOT NULL THEN
                           E'\n  (u): ' || pg_catalog.pg_get_expr(polqual, polrelid)
                       ELSE E''
                       END
                    || CASE WHEN polwithcheck IS NOT NULL THEN
                           E'\n  (c): ' || pg_catalog.pg_get_expr(polwithcheck, polrelid)
                       ELSE E''
                       END    || CASE WHEN polroles <> '{0}' THEN
                           E'\n  to: ' || pg_catalog.array_to_string(
                               ARRAY(
                                   SELECT rolname
                                   FROM pg_catalog.pg_roles
                                   WHERE oid = ANY (polroles)
                                   ORDER BY 1
                               ), E', ')
                       ELSE E''
                       END
                    FROM pg_catalog.pg_policy pol
                    WHERE polrelid = c.oid), E'\n')
                    AS "Policies"
                """#
        }
        query.query += """

            FROM pg_catalog.pg_class c
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r','v','m','S','f','p')

            """
        // Without a schema in the pattern, system and temporary tables are left out (psql 18: only
        // without S and pattern, and by the schema names pg_catalog and information_schema).
        let visibilityRule: String
        if version >= 180000 {
            if !system && pattern == nil {
                query.query += "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n"
            }
            visibilityRule = "pg_catalog.pg_table_is_visible(c.oid)"
        } else {
            visibilityRule = "n.nspname !~ '^pg_' AND pg_catalog.pg_table_is_visible(c.oid)"
        }
        try query.validate(
            pattern, haveWhere: true, schemaColumn: "n.nspname", nameColumn: "c.relname",
            visibilityRule: visibilityRule,
            maxParts: 3, database: shell.session.info.database)
        query.query += "ORDER BY 1, 2;"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: "Access privileges")
    }
}

/// `\z [PATTERN]`: psql's older name for `\dp`.
struct ListPrivilegesZCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "z", abstract: "List table, view and sequence access privileges (the same as \\dp).")
    static let synopsis = "[PATTERN]"

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try ListPrivilegesCommand.list(pattern: arguments.next(semicolon: true)?.value, shell: shell)
    }
}
