import ArgumentParser
import CurateKit

/// `\dd[S] [PATTERN]`: psql's `objectDescription`: the comments on constraints, operator classes
/// and families, rules and triggers (objects no other list shows the comments of).
struct ListObjectDescriptionsCommand: SlashCommand {
    static let configuration = CommandConfiguration(
        commandName: "dd", abstract: "Show object descriptions not displayed elsewhere.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dd")
        let pattern = arguments.describePattern()
        let database = shell.session.info.database
        let hidesSystem = !modifiers.system && pattern == nil
        let systemFilter = "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n"
        let whereSystemFilter = "WHERE n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n"
        var query = SQLNamePattern(query: """
            SELECT DISTINCT tt.nspname AS "Schema", tt.name AS "Name", tt.object AS "Object", d.description AS "Description"
            FROM (

            """, serverVersion: shell.session.info.serverVersion)

        func part(
            _ select: String, filter: String, haveWhere: Bool, schemaColumn: String = "n.nspname", nameColumn: String,
            visibility: String
        ) throws {
            query.query += select
            if hidesSystem { query.query += filter }
            try query.validate(
                pattern, haveWhere: haveWhere, schemaColumn: schemaColumn, nameColumn: nameColumn,
                visibilityRule: visibility, maxParts: 3, database: database)
        }

        // Table constraints.
        try part("""
              SELECT pgc.oid as oid, pgc.tableoid AS tableoid,
              n.nspname as nspname,
              CAST(pgc.conname AS pg_catalog.text) as name,  CAST('table constraint' AS pg_catalog.text) as object
              FROM pg_catalog.pg_constraint pgc
                JOIN pg_catalog.pg_class c ON c.oid = pgc.conrelid
                LEFT JOIN pg_catalog.pg_namespace n     ON n.oid = c.relnamespace

            """, filter: whereSystemFilter, haveWhere: hidesSystem, nameColumn: "pgc.conname",
            visibility: "pg_catalog.pg_table_is_visible(c.oid)")
        // Domain constraints.
        try part("""
            UNION ALL
              SELECT pgc.oid as oid, pgc.tableoid AS tableoid,
              n.nspname as nspname,
              CAST(pgc.conname AS pg_catalog.text) as name,  CAST('domain constraint' AS pg_catalog.text) as object
              FROM pg_catalog.pg_constraint pgc
                JOIN pg_catalog.pg_type t ON t.oid = pgc.contypid
                LEFT JOIN pg_catalog.pg_namespace n     ON n.oid = t.typnamespace

            """, filter: whereSystemFilter, haveWhere: hidesSystem, nameColumn: "pgc.conname",
            visibility: "pg_catalog.pg_type_is_visible(t.oid)")
        // Operator classes (psql adds its conditions with AND after no WHERE here; kept as is).
        try part("""
            UNION ALL
              SELECT o.oid as oid, o.tableoid as tableoid,
              n.nspname as nspname,
              CAST(o.opcname AS pg_catalog.text) as name,
              CAST('operator class' AS pg_catalog.text) as object
              FROM pg_catalog.pg_opclass o
                JOIN pg_catalog.pg_am am ON o.opcmethod = am.oid
                JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace

            """, filter: systemFilter, haveWhere: true, nameColumn: "o.opcname",
            visibility: "pg_catalog.pg_opclass_is_visible(o.oid)")
        // Operator families.
        try part("""
            UNION ALL
              SELECT opf.oid as oid, opf.tableoid as tableoid,
              n.nspname as nspname,
              CAST(opf.opfname AS pg_catalog.text) AS name,
              CAST('operator family' AS pg_catalog.text) as object
              FROM pg_catalog.pg_opfamily opf
                JOIN pg_catalog.pg_am am ON opf.opfmethod = am.oid
                JOIN pg_catalog.pg_namespace n ON opf.opfnamespace = n.oid

            """, filter: systemFilter, haveWhere: true, nameColumn: "opf.opfname",
            visibility: "pg_catalog.pg_opfamily_is_visible(opf.oid)")
        // Rules, except views' own.
        try part("""
            UNION ALL
              SELECT r.oid as oid, r.tableoid as tableoid,
              n.nspname as nspname,
              CAST(r.rulename AS pg_catalog.text) as name,  CAST('rule' AS pg_catalog.text) as object
              FROM pg_catalog.pg_rewrite r
                   JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
                   LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE r.rulename != '_RETURN'

            """, filter: systemFilter, haveWhere: true, nameColumn: "r.rulename",
            visibility: "pg_catalog.pg_table_is_visible(c.oid)")
        // Triggers.
        try part("""
            UNION ALL
              SELECT t.oid as oid, t.tableoid as tableoid,
              n.nspname as nspname,
              CAST(t.tgname AS pg_catalog.text) as name,  CAST('trigger' AS pg_catalog.text) as object
              FROM pg_catalog.pg_trigger t
                   JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                   LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace

            """, filter: whereSystemFilter, haveWhere: hidesSystem, nameColumn: "t.tgname",
            visibility: "pg_catalog.pg_table_is_visible(c.oid)")
        query.query += """
            ) AS tt
              JOIN pg_catalog.pg_description d ON (tt.oid = d.objoid AND tt.tableoid = d.classoid AND d.objsubid = 0)
            ORDER BY 1, 2, 3;
            """
        try shell.listDescribed(query.query, title: "Object descriptions")
    }
}
