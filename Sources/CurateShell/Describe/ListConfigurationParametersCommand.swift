import ArgumentParser
import CurateKit

/// `\dconfig[+] [PATTERN]`: psql 15's `describeConfigurationParameters`; without a pattern, the
/// parameters set to something other than their default.
struct ListConfigurationParametersCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dconfig", abstract: "List configuration parameters.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dconfig")
        let pattern = arguments.next(semicolon: true)?.value
        let version = shell.session.info.serverVersion
        var query = SQLNamePattern(
            query: "SELECT s.name AS \"Parameter\", pg_catalog.current_setting(s.name) AS \"Value\"",
            serverVersion: version)
        if modifiers.verbose {
            query.query += ", s.vartype AS \"Type\", s.context AS \"Context\", "
            // Privileges on parameters exist from 15 on.
            query.query += version >= 150000
                ? DescribeColumns.accessPrivileges("p.paracl", serverVersion: shell.session.info.serverVersion) : "NULL AS \"Access privileges\""
        }
        query.query += "\nFROM pg_catalog.pg_settings s\n"
        if modifiers.verbose && version >= 150000 {
            query.query += "  LEFT JOIN pg_catalog.pg_parameter_acl p\n  ON pg_catalog.lower(s.name) = p.parname\n"
        }
        if let pattern {
            // psql does not validate this pattern: a dot is part of a parameter's name.
            query.append(
                pattern, haveWhere: false, schemaColumn: nil, nameColumn: "pg_catalog.lower(s.name)", visibilityRule: nil)
        } else {
            query.query += "WHERE s.source <> 'default' AND\n      s.setting IS DISTINCT FROM s.boot_val\n"
        }
        query.query += "ORDER BY 1;"
        let result = try shell.describeQuery(query.query)
        let title = pattern == nil ? "List of non-default configuration parameters" : "List of configuration parameters"
        shell.printDescribed(result, title: title)
    }
}
