import ArgumentParser
import CurateKit

/// `\dT[S+] [PATTERN]`: psql's `describeTypes`: base, enum, range, domain and standalone
/// composite types; array types only when the pattern says `[]`.
struct ListTypesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dT", abstract: "List data types.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dT")
        let pattern = arguments.describePattern()
        var query = SQLNamePattern(query: """
            SELECT n.nspname as "Schema",
              pg_catalog.format_type(t.oid, NULL) AS "Name",

            """, serverVersion: shell.session.info.serverVersion)
        if modifiers.verbose {
            query.query += """
                  t.typname AS "Internal name",
                  CASE WHEN t.typrelid != 0
                      THEN CAST('tuple' AS pg_catalog.text)
                    WHEN t.typlen < 0
                      THEN CAST('var' AS pg_catalog.text)
                    ELSE CAST(t.typlen AS pg_catalog.text)
                  END AS "Size",
                  pg_catalog.array_to_string(
                      ARRAY(
                          SELECT e.enumlabel
                          FROM pg_catalog.pg_enum e
                          WHERE e.enumtypid = t.oid
                          ORDER BY e.enumsortorder
                      ),
                      E'\\n'
                  ) AS "Elements",
                  pg_catalog.pg_get_userbyid(t.typowner) AS "Owner",

                """
            query.query += DescribeColumns.accessPrivileges("t.typacl", serverVersion: shell.session.info.serverVersion) + ",\n  "
        }
        query.query += """
              pg_catalog.obj_description(t.oid, 'pg_type') as "Description"
            FROM pg_catalog.pg_type t
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid))

            """
        if pattern?.contains("[]") != true {
            query.query += "  AND NOT EXISTS(SELECT 1 FROM pg_catalog.pg_type el WHERE el.oid = t.typelem AND el.typarray = t.oid)\n"
        }
        if !modifiers.system && pattern == nil {
            query.query += "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n"
        }
        try query.validate(
            TypeNamePattern.mapped(pattern), haveWhere: true, schemaColumn: "n.nspname", nameColumn: "t.typname",
            alternateNameColumn: "pg_catalog.format_type(t.oid, NULL)",
            visibilityRule: "pg_catalog.pg_type_is_visible(t.oid)", maxParts: 3, database: shell.session.info.database)
        query.query += "ORDER BY 1, 2;"
        try shell.listDescribed(query.query, title: "List of data types")
    }
}
