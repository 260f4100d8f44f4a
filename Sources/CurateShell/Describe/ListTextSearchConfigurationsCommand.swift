import ArgumentParser
import CurateKit

/// `\dF[+] [PATTERN]`: psql's `listTSConfigs`; with `+` one table of token mappings per
/// configuration (its `listTSConfigsVerbose`).
struct ListTextSearchConfigurationsCommand: SlashCommand {
    static let configuration = CommandConfiguration(
        commandName: "dF", abstract: "List text search configurations.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dF")
        let pattern = arguments.describePattern()
        let version = shell.session.info.serverVersion
        let database = shell.session.info.database
        if !modifiers.verbose {
            var query = SQLNamePattern(query: """
                SELECT
                   n.nspname as "Schema",
                   c.cfgname as "Name",
                   pg_catalog.obj_description(c.oid, 'pg_ts_config') as "Description"
                FROM pg_catalog.pg_ts_config c
                LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace

                """, serverVersion: version)
            try query.validate(
                pattern, haveWhere: false, schemaColumn: "n.nspname", nameColumn: "c.cfgname",
                visibilityRule: "pg_catalog.pg_ts_config_is_visible(c.oid)", maxParts: 3, database: database)
            query.query += "ORDER BY 1, 2;"
            try shell.listDescribed(query.query, title: "List of text search configurations")
            return
        }
        var query = SQLNamePattern(query: """
            SELECT c.oid, c.cfgname,
               n.nspname,
               p.prsname,
               np.nspname as pnspname
            FROM pg_catalog.pg_ts_config c
               LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace,
             pg_catalog.pg_ts_parser p
               LEFT JOIN pg_catalog.pg_namespace np ON np.oid = p.prsnamespace
            WHERE  p.oid = c.cfgparser

            """, serverVersion: version)
        try query.validate(
            pattern, haveWhere: true, schemaColumn: "n.nspname", nameColumn: "c.cfgname",
            visibilityRule: "pg_catalog.pg_ts_config_is_visible(c.oid)", maxParts: 3, database: database)
        query.query += "ORDER BY 3, 2;"
        let configurations = try shell.describeQuery(query.query)
        if configurations.rows.isEmpty {
            if !shell.isQuiet {
                shell.reportSlashMessage(
                    pattern.map { "Did not find any text search configuration named \"\($0)\"." }
                        ?? "Did not find any text search configurations.")
            }
            throw ReportedFailure()
        }
        for row in configurations.rows {
            let mappings = try shell.describeQuery("""
                SELECT
                  ( SELECT t.alias FROM
                    pg_catalog.ts_token_type(c.cfgparser) AS t
                    WHERE t.tokid = m.maptokentype ) AS "Token",
                  pg_catalog.btrim(
                    ARRAY( SELECT mm.mapdict::pg_catalog.regdictionary
                           FROM pg_catalog.pg_ts_config_map AS mm
                           WHERE mm.mapcfg = m.mapcfg AND mm.maptokentype = m.maptokentype
                           ORDER BY mapcfg, maptokentype, mapseqno
                    ) :: pg_catalog.text,
                  '{}') AS "Dictionaries"
                FROM pg_catalog.pg_ts_config AS c, pg_catalog.pg_ts_config_map AS m
                WHERE c.oid = '\(row[0] ?? "")' AND m.mapcfg = c.oid
                GROUP BY m.mapcfg, m.maptokentype, c.cfgparser
                ORDER BY 1;
                """)
            let configuration = row[2].map { "\($0).\(row[1] ?? "")" } ?? (row[1] ?? "")
            let parser = row[4].map { "\($0).\(row[3] ?? "")" } ?? (row[3] ?? "")
            shell.printDescribed(
                mappings, title: "Text search configuration \"\(configuration)\"\nParser: \"\(parser)\"", footers: [])
        }
    }
}
