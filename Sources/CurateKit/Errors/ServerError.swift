/// An error (or notice) reported by the PostgreSQL server, with every field it sent.
///
/// The fields follow the protocol's ErrorResponse; `sqlState` is the five-character SQLSTATE
/// (`42P01` for an undefined table), the stable thing to match on.
///
/// An error or notice that came from the server also carries the text libpq made of it (what
/// psql prints): `formatted()` returns that text, shaped by the session's error verbosity and
/// context visibility when the message arrived. Changing a field of the error drops libpq's
/// text, and `formatted()` then builds one from the fields.
public struct ServerError: Error, Sendable, Equatable {
    /// `ERROR`, `FATAL`, `PANIC`, or for notices `WARNING`, `NOTICE`, `INFO`, `DEBUG`, `LOG`.
    public var severity: String { didSet { dropLibpqText() } }
    /// The SQLSTATE code, e.g. `23505` for a unique violation, `57014` for a cancelled query.
    public var sqlState: String { didSet { dropLibpqText() } }
    /// The primary message, one line.
    public var message: String { didSet { dropLibpqText() } }
    /// `DETAIL:` more about the error, when the server sent it.
    public var detail: String? { didSet { dropLibpqText() } }
    /// `HINT:` what to do, when the server suggests something.
    public var hint: String? { didSet { dropLibpqText() } }
    /// 1-based character position in the statement, when the server points at one.
    public var position: Int? { didSet { dropLibpqText() } }
    /// Like `position`, in `internalQuery` (a statement the server generated, e.g. in PL/pgSQL).
    public var internalPosition: Int? { didSet { dropLibpqText() } }
    /// The statement the server generated and that failed, e.g. inside a PL/pgSQL function.
    public var internalQuery: String? { didSet { dropLibpqText() } }
    /// `CONTEXT:` where it happened: a call stack of functions, a `COPY` line.
    public var context: String? { didSet { dropLibpqText() } }
    /// The schema of the object the error is about, when there is one.
    public var schemaName: String?
    /// The table the error is about (a constraint violation's table, say).
    public var tableName: String?
    /// The column the error is about.
    public var columnName: String?
    /// The data type the error is about.
    public var dataTypeName: String?
    /// The constraint that was violated.
    public var constraintName: String?
    /// The server's source file that reported the error (`\set VERBOSITY verbose` shows it).
    public var sourceFile: String? { didSet { dropLibpqText() } }
    /// The line in `sourceFile`.
    public var sourceLine: String? { didSet { dropLibpqText() } }
    /// The server's function that reported the error.
    public var sourceFunction: String? { didSet { dropLibpqText() } }
    /// The statement that failed, for the `LINE n:` excerpt.
    public var statement: String? { didSet { dropLibpqText() } }

    /// The message as libpq formatted it when it arrived (psql's text for it: `ERROR:  ...`, the
    /// `LINE n:` excerpt, DETAIL, HINT, QUERY, CONTEXT, as VERBOSITY and SHOW_CONTEXT asked),
    /// without the final newline; nil for an error made or changed outside libpq.
    public internal(set) var libpqText: String?
    /// libpq's text at verbose verbosity with every CONTEXT line (psql's `\errverbose`).
    public internal(set) var libpqVerboseText: String?

    private mutating func dropLibpqText() {
        libpqText = nil
        libpqVerboseText = nil
    }

    /// An error with the three fields every server error has; the others start empty.
    public init(severity: String = "ERROR", sqlState: String, message: String) {
        self.severity = severity
        self.sqlState = sqlState
        self.message = message
    }

    /// psql's text for the message: libpq's own when the message came from the server (at the
    /// verbosity in force then; `verbose` asks for the text `\errverbose` prints), else built from
    /// the fields in libpq's layout: `ERROR:  message`, `LINE n:` with a caret, DETAIL, HINT, CONTEXT.
    public func formatted(verbose: Bool = false) -> String {
        if let text = verbose ? libpqVerboseText : libpqText { return text }
        var lines: [String] = []
        if verbose {
            lines.append("\(severity):  \(sqlState): \(message)")
        } else {
            lines.append("\(severity):  \(message)")
        }
        if let statement, let position, position > 0 {
            lines.append(contentsOf: Self.excerpt(of: statement, at: position))
        }
        if let detail { lines.append("DETAIL:  \(detail)") }
        if let hint { lines.append("HINT:  \(hint)") }
        if let internalQuery, verbose { lines.append("QUERY:  \(internalQuery)") }
        if let context { lines.append("CONTEXT:  \(context)") }
        if verbose {
            if let schemaName { lines.append("SCHEMA NAME:  \(schemaName)") }
            if let tableName { lines.append("TABLE NAME:  \(tableName)") }
            if let columnName { lines.append("COLUMN NAME:  \(columnName)") }
            if let dataTypeName { lines.append("DATATYPE NAME:  \(dataTypeName)") }
            if let constraintName { lines.append("CONSTRAINT NAME:  \(constraintName)") }
            if let sourceFunction, let sourceFile, let sourceLine {
                lines.append("LOCATION:  \(sourceFunction), \(sourceFile):\(sourceLine)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The `LINE n: ...` line and a caret under the character the server points at.
    static func excerpt(of statement: String, at position: Int) -> [String] {
        let characters = Array(statement)
        guard position - 1 < characters.count else { return [] }
        var lineNumber = 1
        var lineStart = 0
        for index in 0..<(position - 1) where characters[index] == "\n" {
            lineNumber += 1
            lineStart = index + 1
        }
        var lineEnd = lineStart
        while lineEnd < characters.count, characters[lineEnd] != "\n" { lineEnd += 1 }
        let line = String(characters[lineStart..<lineEnd]).replacingTabs()
        let prefix = "LINE \(lineNumber): "
        let column = String(characters[lineStart..<(position - 1)]).replacingTabs().count
        return [prefix + line, String(repeating: " ", count: prefix.count + column) + "^"]
    }
}

extension String {
    fileprivate func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}

extension ServerError: CustomStringConvertible {
    /// The primary message, for an error interpolated into another message; `formatted()` is the
    /// full psql-style report.
    public var description: String { message }
}
