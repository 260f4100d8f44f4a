import ArgumentParser
import CurateKit

/// `\ddp [PATTERN]`: psql's `listDefaultACLs`, the privileges `ALTER DEFAULT PRIVILEGES` gives
/// to objects created later; the pattern matches the schema or the owning role.
struct ListDefaultPrivilegesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "ddp", abstract: "List default privileges.")
    static let synopsis = "[PATTERN]"
    // psql reads any letters after the name as part of it.
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        let pattern = arguments.next(semicolon: true)?.value
        // psql 18 (servers of 18 on) names default privileges for large objects (new in 18).
        let typeColumn = shell.session.info.serverVersion >= 180000
            ? "  CASE d.defaclobjtype     WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function'    "
                + "WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' WHEN 'L' THEN 'large object' END AS \"Type\",\n"
            : "  CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function' "
                + "WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' END AS \"Type\",\n"
        var query = SQLNamePattern(query: """
            SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS "Owner",
              n.nspname AS "Schema",

            """ + typeColumn, serverVersion: shell.session.info.serverVersion)
        query.query += "  " + DescribeColumns.accessPrivileges("d.defaclacl", serverVersion: shell.session.info.serverVersion)
        query.query += """

            FROM pg_catalog.pg_default_acl d
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace

            """
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "n.nspname",
            alternateNameColumn: "pg_catalog.pg_get_userbyid(d.defaclrole)", visibilityRule: nil,
            maxParts: 3, database: shell.session.info.database)
        query.query += "ORDER BY 1, 2, 3;"
        let result = try shell.describeQuery(query.query)
        shell.printDescribed(result, title: "Default access privileges")
    }
}
