import ArgumentParser
import CurateKit

/// `\dO[S+] [PATTERN]`: psql's `listCollations`.
struct ListCollationsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dO", abstract: "List collations.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dO")
        let pattern = arguments.describePattern()
        let version = shell.session.info.serverVersion
        var query: SQLNamePattern
        if version >= 180000 {
            // psql 18's list (servers of 18 on): the provider first, the locale of any provider
            // (PostgreSQL 17) and the ICU rules (16).
            query = SQLNamePattern(query: """
                SELECT
                  n.nspname AS "Schema",
                  c.collname AS "Name",
                  CASE c.collprovider WHEN 'd' THEN 'default' WHEN 'b' THEN 'builtin' WHEN 'c' THEN 'libc' \
                WHEN 'i' THEN 'icu' END AS "Provider",
                  c.collcollate AS "Collate",
                  c.collctype AS "Ctype",
                  c.colllocale AS "Locale",
                  c.collicurules AS "ICU Rules",
                  CASE WHEN c.collisdeterministic THEN 'yes' ELSE 'no' END AS "Deterministic?"
                """, serverVersion: version)
            if modifiers.verbose {
                query.query += ",\n  pg_catalog.obj_description(c.oid, 'pg_collation') AS \"Description\""
            }
        } else {
            query = SQLNamePattern(query: """
                SELECT n.nspname AS "Schema",
                       c.collname AS "Name",
                       c.collcollate AS "Collate",
                       c.collctype AS "Ctype"
                """, serverVersion: version)
            query.query += version >= 150000
                ? ",\n       c.colliculocale AS \"ICU Locale\"" : ",\n       c.collcollate AS \"ICU Locale\""
            query.query += version >= 100000
                ? ",\n       CASE c.collprovider WHEN 'd' THEN 'default' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Provider\""
                : ",\n       'libc' AS \"Provider\""
            query.query += version >= 120000
                ? ",\n       CASE WHEN c.collisdeterministic THEN 'yes' ELSE 'no' END AS \"Deterministic?\""
                : ",\n       'yes' AS \"Deterministic?\""
            if modifiers.verbose {
                query.query += ",\n       pg_catalog.obj_description(c.oid, 'pg_collation') AS \"Description\""
            }
        }
        query.query += "\nFROM pg_catalog.pg_collation c, pg_catalog.pg_namespace n\nWHERE n.oid = c.collnamespace\n"
        if !modifiers.system && pattern == nil {
            query.query += "      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n"
        }
        // Collations the database's encoding cannot use are left out, as psql leaves them out.
        query.query += "      AND c.collencoding IN (-1, pg_catalog.pg_char_to_encoding(pg_catalog.getdatabaseencoding()))\n"
        try query.validate(
            pattern, haveWhere: true, schemaColumn: "n.nspname", nameColumn: "c.collname",
            visibilityRule: "pg_catalog.pg_collation_is_visible(c.oid)", maxParts: 3,
            database: shell.session.info.database)
        query.query += "ORDER BY 1, 2;"
        try shell.listDescribed(query.query, title: "List of collations")
    }
}
