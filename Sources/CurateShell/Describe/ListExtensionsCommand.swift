import ArgumentParser
import CurateKit

/// `\dx[+] [PATTERN]`: psql's `listExtensions`, and with `+` its `listExtensionContents`: one
/// table of member objects per extension.
struct ListExtensionsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dx", abstract: "List installed extensions.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let modifiers = DescribeModifiers(typed: name, base: "dx")
        let pattern = arguments.describePattern()
        let database = shell.session.info.database
        let version = shell.session.info.serverVersion
        if !modifiers.verbose {
            // psql 18 (servers of 18 on) shows the version an update would install too.
            let select = version >= 180000 ? """
                SELECT e.extname AS "Name", e.extversion AS "Version", ae.default_version AS "Default version",\
                n.nspname AS "Schema", d.description AS "Description"
                FROM pg_catalog.pg_extension e LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
                LEFT JOIN pg_catalog.pg_description d ON d.objoid = e.oid \
                AND d.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass \
                LEFT JOIN pg_catalog.pg_available_extensions() ae(name, default_version, comment) ON ae.name = e.extname

                """ : """
                SELECT e.extname AS "Name", e.extversion AS "Version", n.nspname AS "Schema", c.description AS "Description"
                FROM pg_catalog.pg_extension e LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
                LEFT JOIN pg_catalog.pg_description c ON c.objoid = e.oid \
                AND c.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass

                """
            var query = SQLNamePattern(query: select, serverVersion: version)
            try query.validate(
                pattern, haveWhere: false, schemaColumn: nil, nameColumn: "e.extname", visibilityRule: nil, maxParts: 1,
                database: database)
            query.query += "ORDER BY 1;"
            try shell.listDescribed(query.query, title: "List of installed extensions")
            return
        }
        var query = SQLNamePattern(query: "SELECT e.extname, e.oid\nFROM pg_catalog.pg_extension e\n", serverVersion: version)
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "e.extname", visibilityRule: nil, maxParts: 1,
            database: database)
        query.query += "ORDER BY 1;"
        let extensions = try shell.describeQuery(query.query)
        if extensions.rows.isEmpty {
            if !shell.isQuiet {
                shell.reportSlashMessage(
                    pattern.map { "Did not find any extension named \"\($0)\"." } ?? "Did not find any extensions.")
            }
            throw ReportedFailure()
        }
        for row in extensions.rows {
            let extensionName = row[0] ?? ""
            let contents = try shell.describeQuery("""
                SELECT pg_catalog.pg_describe_object(classid, objid, 0) AS "Object description"
                FROM pg_catalog.pg_depend
                WHERE refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND refobjid = '\(row[1] ?? "")' AND deptype = 'e'
                ORDER BY 1;
                """)
            shell.printDescribed(contents, title: "Objects in extension \"\(extensionName)\"")
        }
    }
}
