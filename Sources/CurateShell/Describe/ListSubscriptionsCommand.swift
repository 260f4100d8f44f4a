import ArgumentParser
import CurateKit

/// `\dRs[+] [PATTERN]`: psql's `describeSubscriptions`, the subscriptions of the current database.
struct ListSubscriptionsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dRs", abstract: "List replication subscriptions.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dRs")
        let pattern = arguments.next(semicolon: true)?.value
        let version = shell.session.info.serverVersion
        guard version >= 100000 else {
            // psql reports it and counts the command as successful.
            shell.reportSlashMessage("The server (version \(ServerVersionText.major(version))) does not support subscriptions.")
            return
        }
        var query = SQLNamePattern(query: """
            SELECT subname AS "Name"
            ,  pg_catalog.pg_get_userbyid(subowner) AS "Owner"
            ,  subenabled AS "Enabled"
            ,  subpublications AS "Publication"

            """, serverVersion: version)
        if modifiers.verbose {
            if version >= 180000 {
                // psql 18's (servers of 18 on): streaming in words, and the settings of 16 and 17.
                query.query += ", subbinary AS \"Binary\"\n, (CASE substream\n    WHEN 'f' THEN 'off'\n    WHEN 't' THEN 'on'\n"
                    + "    WHEN 'p' THEN 'parallel'\n   END) AS \"Streaming\"\n"
            } else if version >= 140000 {
                query.query += ", subbinary AS \"Binary\"\n, substream AS \"Streaming\"\n"
            }
            if version >= 150000 {
                query.query += ", subtwophasestate AS \"Two-phase commit\"\n, subdisableonerr AS \"Disable on error\"\n"
            }
            if version >= 180000 {
                query.query += ", suborigin AS \"Origin\"\n, subpasswordrequired AS \"Password required\"\n"
                    + ", subrunasowner AS \"Run as owner?\"\n, subfailover AS \"Failover\"\n"
            }
            query.query += ",  subsynccommit AS \"Synchronous commit\"\n,  subconninfo AS \"Conninfo\"\n"
            if version >= 150000 { query.query += ", subskiplsn AS \"Skip LSN\"\n" }
        }
        // psql's text has no line break before the pattern's condition and ORDER BY.
        query.query += """
            FROM pg_catalog.pg_subscription
            WHERE subdbid = (SELECT oid
                             FROM pg_catalog.pg_database
                             WHERE datname = pg_catalog.current_database())
            """
        try query.validate(
            pattern, haveWhere: true, schemaColumn: nil, nameColumn: "subname", visibilityRule: nil,
            maxParts: 1, database: shell.session.info.database)
        query.query += "ORDER BY 1;"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: "List of subscriptions")
    }
}
