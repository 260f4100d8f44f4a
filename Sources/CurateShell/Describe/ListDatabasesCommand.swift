import ArgumentParser
import CurateKit

/// `\l[+] [PATTERN]` (`\list`): psql's `listAllDbs`, also what the `-l` option prints.
struct ListDatabasesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "l", abstract: "List databases.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try list(pattern: arguments.next(semicolon: true)?.value, verbose: name.hasSuffix("+"), shell: shell)
    }

    /// psql's `listAllDbs`.
    static func list(pattern: String?, verbose: Bool, shell: Shell) throws {
        let version = shell.session.info.serverVersion
        var query = version >= 180000 ? listQuery18(verbose: verbose) : listQuery15(verbose: verbose, version: version)
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "d.datname", visibilityRule: nil,
            maxParts: 1, database: shell.session.info.database)
        query.query += "ORDER BY 1;"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: "List of databases")
    }

    /// psql 18's query (servers of 18 on): the provider first, the locale of any provider
    /// (PostgreSQL 17), the ICU rules (16), and sizes readable by pg_read_all_stats too.
    private static func listQuery18(verbose: Bool) -> SQLNamePattern {
        var query = SQLNamePattern(query: """
            SELECT
              d.datname as "Name",
              pg_catalog.pg_get_userbyid(d.datdba) as "Owner",
              pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",
              CASE d.datlocprovider WHEN 'b' THEN 'builtin' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Locale Provider",
              d.datcollate as "Collate",
              d.datctype as "Ctype",
              d.datlocale as "Locale",
              d.daticurules as "ICU Rules",

            """, serverVersion: 180000)
        query.query += "  " + DescribeColumns.accessPrivileges("d.datacl", serverVersion: 180000)
        if verbose {
            query.query += """
                ,
                  CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')
                       OR pg_catalog.pg_has_role('pg_read_all_stats', 'USAGE')
                       THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname))
                       ELSE 'No Access'
                  END as "Size",
                  t.spcname as "Tablespace",
                  pg_catalog.shobj_description(d.oid, 'pg_database') as "Description"
                """
        }
        query.query += "\nFROM pg_catalog.pg_database d\n"
        if verbose { query.query += "  JOIN pg_catalog.pg_tablespace t on d.dattablespace = t.oid\n" }
        return query
    }

    /// psql 15's query, for servers before 18.
    private static func listQuery15(verbose: Bool, version: Int) -> SQLNamePattern {
        var query = SQLNamePattern(query: """
            SELECT d.datname as "Name",
                   pg_catalog.pg_get_userbyid(d.datdba) as "Owner",
                   pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",
                   d.datcollate as "Collate",
                   d.datctype as "Ctype",

            """, serverVersion: version)
        // The ICU locale and the locale provider are recorded from 15 on.
        query.query += version >= 150000 ? """
                   d.daticulocale as "ICU Locale",
                   CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Locale Provider",

            """ : """
                   NULL as "ICU Locale",
                   'libc' AS "Locale Provider",

            """
        query.query += "       " + DescribeColumns.accessPrivileges("d.datacl", serverVersion: version)
        if verbose {
            query.query += """
                ,
                       CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')
                            THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname))
                            ELSE 'No Access'
                       END as "Size",
                       t.spcname as "Tablespace",
                       pg_catalog.shobj_description(d.oid, 'pg_database') as "Description"
                """
        }
        query.query += "\nFROM pg_catalog.pg_database d\n"
        if verbose { query.query += "  JOIN pg_catalog.pg_tablespace t on d.dattablespace = t.oid\n" }
        return query
    }
}

/// `\list[+] [PATTERN]`: psql's long name of `\l`.
struct ListDatabasesLongCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List databases (the same as \\l).")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try ListDatabasesCommand.list(pattern: arguments.next(semicolon: true)?.value, verbose: name.hasSuffix("+"), shell: shell)
    }
}
