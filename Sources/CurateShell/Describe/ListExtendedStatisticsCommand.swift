import ArgumentParser
import CurateKit

/// `\dX [PATTERN]`: psql's `listExtendedStats`.
struct ListExtendedStatisticsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dX", abstract: "List extended statistics.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let pattern = arguments.describePattern()
        let version = shell.session.info.serverVersion
        if version < 100000 {
            shell.reportSlashMessage(
                "The server (version \(ServerVersionText.major(version))) does not support extended statistics.")
            return
        }
        var query = SQLNamePattern(query: """
            SELECT \n\
            es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS "Schema", \n\
            es.stxname AS "Name", \n
            """, serverVersion: version)
        if version >= 140000 {
            query.query += """
                pg_catalog.format('%s FROM %s', \n\
                  pg_catalog.pg_get_statisticsobjdef_columns(es.oid), \n\
                  es.stxrelid::pg_catalog.regclass) AS "Definition"
                """
        } else {
            query.query += """
                pg_catalog.format('%s FROM %s', \n\
                  (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname),', ') \n\
                   FROM pg_catalog.unnest(es.stxkeys) s(attnum) \n\
                   JOIN pg_catalog.pg_attribute a \n\
                   ON (es.stxrelid = a.attrelid \n\
                   AND a.attnum = s.attnum \n\
                   AND NOT a.attisdropped)), \n\
                es.stxrelid::pg_catalog.regclass) AS "Definition"
                """
        }
        query.query += """
            ,
            CASE WHEN 'd' = any(es.stxkind) THEN 'defined' \n\
            END AS "Ndistinct", \n\
            CASE WHEN 'f' = any(es.stxkind) THEN 'defined' \n\
            END AS "Dependencies"
            """
        if version >= 120000 {
            query.query += ",\nCASE WHEN 'm' = any(es.stxkind) THEN 'defined' \nEND AS \"MCV\" "
        }
        query.query += " \nFROM pg_catalog.pg_statistic_ext es \n"
        try query.validate(
            pattern, haveWhere: false, schemaColumn: "es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text",
            nameColumn: "es.stxname", visibilityRule: "pg_catalog.pg_statistics_obj_is_visible(es.oid)", maxParts: 3,
            database: shell.session.info.database)
        query.query += "ORDER BY 1, 2;"
        try shell.listDescribed(query.query, title: "List of extended statistics")
    }
}
