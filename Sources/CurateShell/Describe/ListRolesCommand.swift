import ArgumentParser
import CurateKit

/// `\du[S+] [PATTERN]` and `\dg[S+] [PATTERN]`: psql's `describeRoles`, the roles with their
/// attributes written out as psql writes them (`Superuser, Create role` and, on lines of their
/// own, the connection limit and the password's expiry) and the roles they are members of.
struct ListRolesCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "du", abstract: "List roles.")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try list(DescribeModifiers(typed: name, base: "du"), pattern: arguments.next(semicolon: true)?.value, shell: shell)
    }

    static func list(_ modifiers: DescribeModifiers, pattern: String?, shell: Shell) throws {
        let version = shell.session.info.serverVersion
        // psql 18 (servers of 18 on) leaves out "Member of" (memberships have options since
        // PostgreSQL 16; \drg lists them).
        let showsMemberOf = version < 180000
        var query = SQLNamePattern(query: """
            SELECT r.rolname, r.rolsuper, r.rolinherit,
              r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
              r.rolconnlimit, r.rolvaliduntil
            """, serverVersion: version)
        if showsMemberOf {
            query.query += """
                ,
                  ARRAY(SELECT b.rolname
                        FROM pg_catalog.pg_auth_members m
                        JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid)
                        WHERE m.member = r.oid) as memberof
                """
        }
        if modifiers.verbose {
            query.query += "\n, pg_catalog.shobj_description(r.oid, 'pg_authid') AS description"
        }
        query.query += "\n, r.rolreplication"
        if version >= 90500 { query.query += "\n, r.rolbypassrls" }
        query.query += "\nFROM pg_catalog.pg_roles r\n"
        if !modifiers.system && pattern == nil { query.query += "WHERE r.rolname !~ '^pg_'\n" }
        try query.validate(
            pattern, haveWhere: false, schemaColumn: nil, nameColumn: "r.rolname", visibilityRule: nil,
            maxParts: 1, database: shell.session.info.database)
        query.query += "ORDER BY 1;"
        let result = try shell.describeQuery(query.query)

        let rows = result.rows.map { row -> [String] in
            let value = { (column: Int) in row[column] ?? "" }
            let memberOfColumns = showsMemberOf ? 1 : 0
            let flagsStart = (modifiers.verbose ? 9 : 8) + memberOfColumns
            var flags: [String] = []
            if value(1) == "t" { flags.append("Superuser") }
            if value(2) != "t" { flags.append("No inheritance") }
            if value(3) == "t" { flags.append("Create role") }
            if value(4) == "t" { flags.append("Create DB") }
            if value(5) != "t" { flags.append("Cannot login") }
            if value(flagsStart) == "t" { flags.append("Replication") }
            if version >= 90500, value(flagsStart + 1) == "t" { flags.append("Bypass RLS") }
            var lines = flags.isEmpty ? [] : [flags.joined(separator: ", ")]
            // psql reads the limit with atoi: -1 (no limit) shows nothing.
            let connections = Int(value(6)) ?? 0
            if connections == 0 { lines.append("No connections") }
            if connections == 1 { lines.append("1 connection") }
            if connections > 1 { lines.append("\(connections) connections") }
            if !value(7).isEmpty { lines.append("Password valid until " + value(7)) }
            var cells = [value(0), lines.joined(separator: "\n")]
            if showsMemberOf { cells.append(value(8)) }
            if modifiers.verbose { cells.append(value(8 + memberOfColumns)) }
            return cells
        }
        var columns = ["Role name", "Attributes"]
        if showsMemberOf { columns.append("Member of") }
        if modifiers.verbose { columns.append("Description") }
        shell.printDescribedRows(columns: columns, rows: rows, title: "List of roles", footers: [])
    }
}

/// `\dg[S+] [PATTERN]`: psql's other name for `\du`.
struct ListRolesGroupsCommand: SlashCommand {
    static let configuration = CommandConfiguration(commandName: "dg", abstract: "List roles (the same as \\du).")
    static let synopsis = "[PATTERN]"
    static let nameModifiers: Set<Character> = ["S", "+"]

    static func run(invokedAs name: String, arguments: inout SlashOptionScanner, shell: Shell) throws {
        try ListRolesCommand.list(DescribeModifiers(typed: name, base: "dg"), pattern: arguments.next(semicolon: true)?.value, shell: shell)
    }
}
