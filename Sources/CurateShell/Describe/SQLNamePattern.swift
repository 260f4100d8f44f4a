/// psql's object-name patterns (`\dt public.fits*`): a shell-style pattern turned into anchored
/// regular expressions and appended to a catalog query as WHERE conditions, exactly as psql's
/// `processSQLNamePattern` writes them (the query text is what `ECHO_HIDDEN` shows).
///
/// Rules: `*` any text, `?` one character, `.` separates database, schema and name; unquoted
/// letters fold to lower case; inside double quotes everything is literal (`""` is one quote);
/// `$` is always literal; other regular-expression characters pass through unquoted outside
/// quotes (`[]` excepted), so `\dt fits(file|header)` works as in psql.
struct SQLNamePattern {
    /// The query being built.
    var query: String
    /// The server version (`COLLATE pg_catalog.default` from 12 on).
    let serverVersion: Int

    /// What `append` found in the pattern.
    struct Parts {
        /// True when a condition was added (the caller's next condition starts with `AND`).
        var addedClause = false
        /// The dots outside quotes.
        var dotCount = 0
        /// The database part of `db.schema.name`, as typed (case-folded).
        var databaseName = ""
    }

    /// psql's `processSQLNamePattern`. `haveWhere`: the query already has a WHERE clause.
    /// `visibilityRule`: the condition for objects visible on the search path, used when the
    /// pattern names no schema.
    @discardableResult
    mutating func append(
        _ pattern: String?, haveWhere: Bool, forceEscape: Bool = false, schemaColumn: String?, nameColumn: String?,
        alternateNameColumn: String? = nil, visibilityRule: String?
    ) -> Parts {
        var parts = Parts()
        var haveWhere = haveWhere
        func whereAnd() {
            query += haveWhere ? "  AND " : "WHERE "
            haveWhere = true
            parts.addedClause = true
        }
        guard let pattern else {
            if let visibilityRule {
                whereAnd()
                query += visibilityRule + "\n"
            }
            return parts
        }
        let regexes = Self.regularExpressions(pattern, forceEscape: forceEscape, splitsSchema: schemaColumn != nil)
        parts.dotCount = regexes.dotCount
        parts.databaseName = regexes.databaseName
        let collate = serverVersion >= 120000 ? " COLLATE pg_catalog.default" : ""
        if let nameColumn, regexes.name.utf8.count > 2, regexes.name != "^(.*)$" {
            whereAnd()
            if let alternateNameColumn {
                query += "(\(nameColumn) OPERATOR(pg_catalog.~) "
                appendLiteral(regexes.name)
                query += collate + "\n        OR \(alternateNameColumn) OPERATOR(pg_catalog.~) "
                appendLiteral(regexes.name)
                query += collate + ")\n"
            } else {
                query += "\(nameColumn) OPERATOR(pg_catalog.~) "
                appendLiteral(regexes.name)
                query += collate + "\n"
            }
        }
        if let schemaColumn, let schema = regexes.schema, schema.utf8.count > 2 {
            if schema != "^(.*)$" {
                whereAnd()
                query += "\(schemaColumn) OPERATOR(pg_catalog.~) "
                appendLiteral(schema)
                query += collate + "\n"
            }
        } else if let visibilityRule {
            whereAnd()
            query += visibilityRule + "\n"
        }
        return parts
    }

    /// psql's `validateSQLNamePattern`: `append`, then refuse a name with more than `maxParts`
    /// dotted parts, or one whose database part is not the connected database.
    @discardableResult
    mutating func validate(
        _ pattern: String?, haveWhere: Bool, forceEscape: Bool = false, schemaColumn: String?, nameColumn: String?,
        alternateNameColumn: String? = nil, visibilityRule: String?, maxParts: Int, database: String
    ) throws -> Bool {
        let parts = append(
            pattern, haveWhere: haveWhere, forceEscape: forceEscape, schemaColumn: schemaColumn, nameColumn: nameColumn,
            alternateNameColumn: alternateNameColumn, visibilityRule: visibilityRule)
        if parts.dotCount >= maxParts {
            throw ShellFailure("improper qualified name (too many dotted names): \(pattern ?? "")")
        }
        if maxParts > 1 && parts.dotCount == maxParts - 1 && parts.databaseName != database {
            throw ShellFailure("cross-database references are not implemented: \(pattern ?? "")")
        }
        return parts.addedClause
    }

    /// libpq's `appendStringLiteralConn` for a standard_conforming_strings server: `'text'`,
    /// quotes doubled; `E'...'` (after a space) with backslashes doubled when it holds one.
    mutating func appendLiteral(_ text: String) {
        if text.contains("\\") {
            if let last = query.last, last != " " { query += " " }
            query += "E'"
            for character in text {
                if character == "'" || character == "\\" { query.append(character) }
                query.append(character)
            }
            query += "'"
            return
        }
        query += "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// psql's `patternToSQLRegex`: the name's (and schema's) anchored regular expression, and the
    /// database part as typed.
    static func regularExpressions(_ pattern: String, forceEscape: Bool, splitsSchema: Bool)
        -> (name: String, schema: String?, databaseName: String, dotCount: Int)
    {
        // Up to three parts (database, schema, name) when a schema is split off, else one.
        let maxParts = splitsSchema ? 3 : 1
        var parts = ["^("]
        var literalDatabase = ""
        var left = true
        var inQuotes = false
        var dotCount = 0
        let characters = Array(pattern.unicodeScalars)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if character == "\"" {
                if inQuotes && next == "\"" {
                    parts[parts.count - 1] += "\""
                    if left { literalDatabase += "\"" }
                    index += 1
                } else {
                    inQuotes.toggle()
                }
            } else if !inQuotes && character.isASCII && ("A"..."Z").contains(character) {
                let lower = String(character).lowercased()
                parts[parts.count - 1] += lower
                if left { literalDatabase += lower }
            } else if !inQuotes && character == "*" {
                parts[parts.count - 1] += ".*"
                if left { literalDatabase += "*" }
            } else if !inQuotes && character == "?" {
                parts[parts.count - 1] += "."
                if left { literalDatabase += "?" }
            } else if !inQuotes && character == "." {
                left = false
                dotCount += 1
                if parts.count < maxParts {
                    parts[parts.count - 1] += ")$"
                    parts.append("^(")
                } else {
                    parts[parts.count - 1] += "."
                }
            } else if character == "$" {
                parts[parts.count - 1] += "\\$"
                if left { literalDatabase += "$" }
            } else {
                if (inQuotes || forceEscape) && "|*+?()[]{}.^$\\".unicodeScalars.contains(character) {
                    parts[parts.count - 1] += "\\"
                } else if character == "[" && next == "]" {
                    parts[parts.count - 1] += "\\"
                }
                parts[parts.count - 1].unicodeScalars.append(character)
                if left { literalDatabase.unicodeScalars.append(character) }
            }
            index += 1
        }
        parts[parts.count - 1] += ")$"
        let name = parts.removeLast()
        let schema = splitsSchema ? parts.popLast() : nil
        let databaseName = splitsSchema && !parts.isEmpty ? literalDatabase : ""
        return (name, schema, databaseName, dotCount)
    }
}
