import CurateKit

/// A function or a view whose definition psql's `\sf`, `\sv`, `\ef` and `\ev` show or edit:
/// found by name as the server casts it (`regproc`, `regprocedure` when the name has an
/// argument list, `regclass`), its definition rebuilt as a `CREATE OR REPLACE` command.
enum EditableObject {
    case function, view

    /// psql's `lookup_object_oid` then `get_create_object_cmd`: the command, ending in a
    /// newline. Errors are reported as psql's `minimal_error_message` words them (severity and
    /// primary message only); under ECHO_HIDDEN=noexec the query is shown and the command fails.
    func definition(of description: String, shell: Shell) throws -> String {
        let version = shell.session.info.serverVersion
        var lookup = SQLNamePattern(query: "SELECT ", serverVersion: version)
        lookup.appendLiteral(description)
        switch self {
        case .function:
            lookup.query += "::pg_catalog.\(description.contains("(") ? "regprocedure" : "regproc")::pg_catalog.oid"
        case .view:
            lookup.query += "::pg_catalog.regclass::pg_catalog.oid"
        }
        guard let oid = try Self.singleRow(lookup.query, shell: shell)[0] else {
            throw ShellFailure("ERROR:  (not available)")
        }
        switch self {
        case .function:
            let row = try Self.singleRow("SELECT pg_catalog.pg_get_functiondef(\(oid))", shell: shell)
            return Self.endingInNewline(row[0] ?? "")
        case .view:
            let query = version >= 90400
                ? "SELECT nspname, relname, relkind, pg_catalog.pg_get_viewdef(c.oid, true), "
                    + "pg_catalog.array_remove(pg_catalog.array_remove(c.reloptions,'check_option=local'),'check_option=cascaded') AS reloptions, "
                    + "CASE WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL'::text "
                    + "WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED'::text ELSE NULL END AS checkoption "
                    + "FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON c.relnamespace = n.oid WHERE c.oid = \(oid)"
                : "SELECT nspname, relname, relkind, pg_catalog.pg_get_viewdef(c.oid, true), "
                    + "c.reloptions AS reloptions, NULL AS checkoption "
                    + "FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON c.relnamespace = n.oid WHERE c.oid = \(oid)"
            let row = try Self.singleRow(query, shell: shell)
            let (schema, name, kind) = (row[0] ?? "", row[1] ?? "", row[2] ?? "")
            var text = kind == "v" ? "CREATE OR REPLACE VIEW " : ""
            text += SQLIdentifier.quotedIfNeeded(schema) + "." + SQLIdentifier.quotedIfNeeded(name)
            if let options = row[4], options.utf8.count > 2 {
                text += "\n WITH (" + Self.reloptions(options) + ")"
            }
            text += " AS\n" + (row[3] ?? "")
            if text.hasSuffix(";") { text.removeLast() }
            if let check = row[5], !check.isEmpty { text += "\n WITH \(check) CHECK OPTION" }
            guard kind == "v" else {
                throw NotAView(message: "\"\(schema).\(name)\" is not a view", partialText: Self.endingInNewline(text))
            }
            return Self.endingInNewline(text)
        }
    }

    /// The relation named to `\sv` or `\ev` is no view. psql has already written the rest of the
    /// command into its buffer by then (`s.t AS` and the relation's query): `\ev` leaves that
    /// text in the query buffer.
    struct NotAView: Error {
        let message: String
        let partialText: String
    }

    /// One row of a lookup query, shown under ECHO_HIDDEN first.
    private static func singleRow(_ query: String, shell: Shell) throws -> Row {
        do {
            let result = try shell.describeQuery(query)
            guard result.rows.count == 1 else { throw ShellFailure("ERROR:  (not available)") }
            return result.rows[0]
        } catch let error as ServerError {
            throw ShellFailure("\(error.severity):  \(error.message)")
        }
    }

    private static func endingInNewline(_ text: String) -> String {
        text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
    }

    /// psql's `appendReloptionsArray` for a view: `{a=1,"b=x y"}` as `a='1', b='x y'`; a value that
    /// needs no quoting as an identifier is written bare.
    static func reloptions(_ array: String) -> String {
        var items: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        for character in array.dropFirst().dropLast() {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" && inQuotes {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == "," && !inQuotes {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        items.append(current)
        return items.map { item in
            let (name, value) = item.firstIndex(of: "=").map { (String(item[..<$0]), String(item[item.index(after: $0)...])) }
                ?? (item, "")
            let shownValue = SQLIdentifier.quotedIfNeeded(value) == value
                ? value : "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
            return SQLIdentifier.quotedIfNeeded(name) + "=" + shownValue
        }.joined(separator: ", ")
    }
}
