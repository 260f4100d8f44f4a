import ArgumentParser
import CurateKit

/// `\dy[+] [PATTERN]`: psql's `listEventTriggers`.
struct ListEventTriggersCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dy", abstract: "List event triggers.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dy")
        let pattern = arguments.describePattern()
        let version = shell.session.info.serverVersion
        if version < 90300 {
            shell.reportSlashMessage(
                "The server (version \(ServerVersionText.major(version))) does not support event triggers.")
            return
        }
        var query = SQLNamePattern(query: """
            SELECT evtname as "Name", evtevent as "Event", pg_catalog.pg_get_userbyid(e.evtowner) as "Owner",
             case evtenabled when 'O' then 'enabled'  when 'R' then 'replica'  when 'A' then 'always'  when 'D' then 'disabled' end as "Enabled",
             e.evtfoid::pg_catalog.regproc as "Function", pg_catalog.array_to_string(array(select x from pg_catalog.unnest(evttags) as t(x)), ', ') as "Tags"
            """, serverVersion: version)
        if modifiers.verbose {
            query.query += ",\npg_catalog.obj_description(e.oid, 'pg_event_trigger') as \"Description\""
        }
        query.query += "\nFROM pg_catalog.pg_event_trigger e "
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "evtname", visibilityRule: nil, maxParts: 1,
            database: shell.session.info.database)
        query.query += "ORDER BY 1"
        try shell.listDescribed(query.query, title: "List of event triggers")
    }
}
