import CurateKit

/// The external plugin protocol, version 1: JSON lines over the child's stdin and stdout
/// (docs/plugins.md, "External plugins" is the specification). This file holds the messages: what a plugin
/// may send, parsed and checked, and what curate sends back, encoded.
enum PluginProtocol {
    /// The version curate speaks. A plugin's `hello` must name it.
    static let version = 1

    /// The longest line curate accepts from a plugin (a `print` of a big table fits easily).
    static let maximumLineLength = 64 << 20

    // MARK: Plugin to curate

    struct Hello {
        var protocolVersion: Int
        var name: String?
        var version: String
        var summary: String?
        var usage: String?
        var help: String?
        var capabilities: CommandCapabilities
    }

    struct Query {
        var id: JSONValue?
        var sql: String
        var parameters: [String?]
        /// Rows per `rows` message, as the plugin asked (curate's default otherwise).
        var batch: Int?
        /// Run the statement in a savepoint of its own, so that its failure undoes only itself.
        var savepoint: Bool
    }

    enum Printable {
        case text(String, toStandardError: Bool)
        /// Columns with the type name the plugin gave (`int4`, `numeric`...), if any.
        case table(columns: [(name: String, type: String?)], rows: [[String?]])
    }

    struct Confirm {
        var id: JSONValue?
        var question: String
        var assumeYes: Bool
    }

    struct ProgressReport {
        var label: String
        var done: Int
        var total: Int?
    }

    enum Finish {
        case ok
        case error(message: String, hint: String?)
    }

    enum Message {
        case hello(Hello)
        case query(Query)
        case print(Printable)
        case confirm(Confirm)
        case progress(ProgressReport)
        case finish(Finish)
        /// A streamed table: its columns, then `tableRows` messages, then `tableEnd`.
        case tableBegin(columns: [(name: String, type: String?)])
        /// A `table_rows` line, decoded straight into the renderer by `TableRowsDecoder`.
        case tableRows(ArraySlice<UInt8>)
        case tableEnd
    }

    /// A line that breaks the protocol: what was wrong, in words for the user.
    struct Violation: Error, Sendable {
        let reason: String
    }

    /// Parses and checks one line from the plugin (without its newline).
    static func parse(_ line: ArraySlice<UInt8>, lineNumber: Int) throws(Violation) -> Message {
        // Rows of a streamed table are most of the traffic: they skip the general decoder.
        if TableRowsDecoder.messageType(of: line) == "table_rows" { return .tableRows(line) }
        guard let value = JSONValue.parse(line) else {
            throw Violation(reason: "line \(lineNumber) is not JSON: \(excerpt(line))")
        }
        guard case .object = value else {
            throw Violation(reason: "line \(lineNumber) is \(value.kindDescription), not a JSON object: \(excerpt(line))")
        }
        guard let type = value["type"]?.string else {
            throw Violation(reason: "line \(lineNumber) has no \"type\": \(excerpt(line))")
        }
        let fields = Fields(value: value, type: type, lineNumber: lineNumber)
        switch type {
        case "hello":
            guard case .integer(let version)? = value["protocol"] else {
                throw fields.violation("\"protocol\" must be the protocol version number (this curate speaks \(Self.version))")
            }
            let names = try fields.stringArray("capabilities") ?? []
            guard let capabilities = CommandCapabilities(names: names) else {
                let unknown = names.filter { CommandCapabilities(names: [$0]) == nil }
                throw fields.violation("unknown capability \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); known: writes, no-transaction, starts-programs")
            }
            return .hello(Hello(
                protocolVersion: Int(version),
                name: try fields.optionalString("name"),
                version: try fields.optionalString("version") ?? "?",
                summary: try fields.optionalString("summary"),
                usage: try fields.optionalString("usage"),
                help: try fields.optionalString("help"),
                capabilities: capabilities
            ))
        case "query":
            let sql = try fields.requiredString("sql")
            var parameters: [String?] = []
            if let list = value["parameters"], !list.isNull {
                guard case .array(let items) = list else { throw fields.violation("\"parameters\" must be an array") }
                for (index, item) in items.enumerated() {
                    do {
                        parameters.append(try item.scalarText())
                    } catch {
                        throw fields.violation("parameter \(index + 1) is \(item.kindDescription); parameters are text, numbers, booleans or null")
                    }
                }
            }
            var batch: Int?
            if let size = value["batch"], !size.isNull {
                guard case .integer(let rows) = size, rows >= 1 else { throw fields.violation("\"batch\" must be a positive number of rows") }
                batch = Int(min(rows, 1_000_000))
            }
            return .query(Query(id: value["id"], sql: sql, parameters: parameters, batch: batch,
                                savepoint: try fields.optionalBool("savepoint") ?? false))
        case "print":
            if let table = value["table"], !table.isNull {
                guard case .object = table else { throw fields.violation("\"table\" must be an object with \"columns\" and \"rows\"") }
                guard case .array(let columnValues)? = table["columns"] else {
                    throw fields.violation("\"table\" needs \"columns\", an array of names")
                }
                let columns = try tableColumns(columnValues, fields: fields)
                var rows: [[String?]] = []
                if let rowList = table["rows"], !rowList.isNull {
                    guard case .array(let rowValues) = rowList else { throw fields.violation("\"rows\" must be an array of arrays") }
                    for (index, row) in rowValues.enumerated() {
                        guard case .array(let cells) = row, cells.count == columns.count else {
                            throw fields.violation("row \(index + 1) of the table must be an array of \(columns.count) values")
                        }
                        do {
                            rows.append(try cells.map { try $0.scalarText() })
                        } catch {
                            throw fields.violation("row \(index + 1) of the table holds an array or object; cells are text, numbers, booleans or null")
                        }
                    }
                }
                return .print(.table(columns: columns, rows: rows))
            }
            let text = try fields.requiredString("text")
            let stream = try fields.optionalString("stream") ?? "stdout"
            guard stream == "stdout" || stream == "stderr" else { throw fields.violation("\"stream\" must be \"stdout\" or \"stderr\"") }
            return .print(.text(text, toStandardError: stream == "stderr"))
        case "table_begin":
            guard case .array(let columnValues)? = value["columns"] else {
                throw fields.violation("\"table_begin\" needs \"columns\", an array of names")
            }
            return .tableBegin(columns: try tableColumns(columnValues, fields: fields))
        case "table_end":
            return .tableEnd
        case "confirm":
            return .confirm(Confirm(
                id: value["id"],
                question: try fields.requiredString("question"),
                assumeYes: try fields.optionalBool("assume_yes") ?? false
            ))
        case "progress":
            guard case .integer(let done)? = value["done"], done >= 0 else {
                throw fields.violation("\"done\" must be a number (0 or more)")
            }
            var total: Int?
            if let count = value["total"], !count.isNull {
                guard case .integer(let number) = count, number >= 0 else { throw fields.violation("\"total\" must be a number or null") }
                total = Int(number)
            }
            return .progress(ProgressReport(label: try fields.optionalString("label") ?? "", done: Int(done), total: total))
        case "finish":
            switch try fields.requiredString("status") {
            case "ok": return .finish(.ok)
            case "error":
                return .finish(.error(
                    message: try fields.optionalString("message") ?? "the plugin reported an error",
                    hint: try fields.optionalString("hint")
                ))
            case let other:
                throw fields.violation("\"status\" must be \"ok\" or \"error\", not \"\(other)\"")
            }
        default:
            throw Violation(reason: "line \(lineNumber) has an unknown type \"\(type)\" (protocol \(Self.version) knows hello, query, print, table_begin, table_rows, table_end, confirm, progress, finish)")
        }
    }

    /// A table's columns: each a name, or an object with "name" and "type" (as a query's done gives them).
    private static func tableColumns(_ columnValues: [JSONValue], fields: Fields) throws(Violation) -> [(name: String, type: String?)] {
        try columnValues.map { column throws(Violation) -> (name: String, type: String?) in
            if let name = column.string { return (name, nil) }
            guard let name = column["name"]?.string else {
                throw fields.violation("each column must be a name or an object with a \"name\"")
            }
            return (name, column["type"]?.string)
        }
    }

    /// Reads typed fields of one message, with violations that name the message and the field.
    private struct Fields {
        let value: JSONValue
        let type: String
        let lineNumber: Int

        func violation(_ text: String) -> Violation {
            Violation(reason: "line \(lineNumber) (\(type)): \(text)")
        }

        func requiredString(_ key: String) throws(Violation) -> String {
            guard let text = value[key]?.string else {
                throw violation(value[key] == nil ? "\"\(key)\" is missing" : "\"\(key)\" must be a string")
            }
            return text
        }

        func optionalString(_ key: String) throws(Violation) -> String? {
            guard let field = value[key], !field.isNull else { return nil }
            guard let text = field.string else { throw violation("\"\(key)\" must be a string") }
            return text
        }

        func optionalBool(_ key: String) throws(Violation) -> Bool? {
            guard let field = value[key], !field.isNull else { return nil }
            guard case .bool(let flag) = field else { throw violation("\"\(key)\" must be true or false") }
            return flag
        }

        func stringArray(_ key: String) throws(Violation) -> [String]? {
            guard let field = value[key], !field.isNull else { return nil }
            guard case .array(let items) = field else { throw violation("\"\(key)\" must be an array of strings") }
            return try items.map { item throws(Violation) -> String in
                guard let text = item.string else { throw violation("\"\(key)\" must be an array of strings") }
                return text
            }
        }
    }

    /// The start of a bad line, for the message (printable, at most 80 characters).
    static func excerpt(_ line: ArraySlice<UInt8>) -> String {
        let text = String(decoding: line.prefix(240), as: UTF8.self)
        let printable = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        return printable.count > 80 ? "\"" + printable.prefix(80) + "…\"" : "\"" + printable + "\""
    }

    // MARK: Curate to plugin

    /// What the plugin learns about where it runs (never the password).
    struct InvocationContext {
        var interactive: Bool
        var format: String
        var expanded: String
        var terminalWidth: Int?
        var transaction: String
        /// How curate runs the plugin's statements: "savepoint", "transaction" or "autocommit".
        var scope: String
        var writable: Bool
        var readOnlySession: Bool
        var database: String
        var user: String
        var host: String
        var port: String
        var serverVersion: Int
    }

    static func invoke(arguments: [String], context: InvocationContext) -> [UInt8] {
        var w = JSONLineWriter()
        w.raw("{\"type\":\"invoke\",\"protocol\":")
        w.integer(version)
        w.raw(",\"arguments\":")
        w.strings(arguments)
        w.raw(",\"context\":{")
        w.key("interactive"); w.bool(context.interactive)
        w.raw(","); w.key("format"); w.string(context.format)
        w.raw(","); w.key("expanded"); w.string(context.expanded)
        w.raw(","); w.key("terminal_width")
        if let width = context.terminalWidth { w.integer(width) } else { w.raw("null") }
        w.raw(","); w.key("transaction"); w.string(context.transaction)
        w.raw(","); w.key("scope"); w.string(context.scope)
        w.raw(","); w.key("writable"); w.bool(context.writable)
        w.raw(","); w.key("read_only"); w.bool(context.readOnlySession)
        w.raw(","); w.key("database"); w.string(context.database)
        w.raw(","); w.key("user"); w.string(context.user)
        w.raw(","); w.key("host"); w.string(context.host)
        w.raw(","); w.key("port"); w.string(context.port)
        w.raw(","); w.key("server_version"); w.integer(context.serverVersion)
        w.raw(","); w.key("curate_version"); w.string(CurateVersion.string)
        w.raw("}}\n")
        return w.bytes
    }

    static func describe() -> [UInt8] {
        Array("{\"type\":\"describe\",\"protocol\":\(version)}\n".utf8)
    }

    /// `{"type":"done",...}`: a statement's end, appended to `w` (after its rows).
    static func done(id: JSONValue?, tag: String, columns: [(name: String, type: String, oid: UInt32)], rowCount: Int,
                     transaction: String, into w: inout JSONLineWriter) {
        w.raw("{\"type\":\"done\"")
        appendID(id, to: &w)
        w.raw(","); w.key("tag"); w.string(tag)
        w.raw(","); w.key("rows"); w.integer(rowCount)
        w.raw(","); w.key("columns"); w.raw(UInt8(ascii: "["))
        for (index, column) in columns.enumerated() {
            if index > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw("{\"name\":"); w.string(column.name)
            w.raw(",\"type\":"); w.string(column.type)
            w.raw(",\"type_oid\":"); w.integer(column.oid)
            w.raw(UInt8(ascii: "}"))
        }
        w.raw("]")
        w.raw(","); w.key("transaction"); w.string(transaction)
        w.raw("}\n")
    }

    /// `{"type":"error",...}`: a statement that failed (`source` "server") or that curate refused
    /// (`source` "curate", no SQLSTATE).
    static func error(id: JSONValue?, source: String, error: ServerError?, message: String, transaction: String,
                      hint: String? = nil, into w: inout JSONLineWriter) {
        w.raw("{\"type\":\"error\"")
        appendID(id, to: &w)
        w.raw(","); w.key("source"); w.string(source)
        w.raw(","); w.key("sqlstate"); w.string(error?.sqlState)
        w.raw(","); w.key("message"); w.string(message)
        w.raw(","); w.key("detail"); w.string(error?.detail)
        w.raw(","); w.key("hint"); w.string(hint ?? error?.hint)
        w.raw(","); w.key("position")
        if let position = error?.position { w.integer(position) } else { w.raw("null") }
        w.raw(","); w.key("transaction"); w.string(transaction)
        w.raw("}\n")
    }

    static func answer(id: JSONValue?, yes: Bool, refused: CommandError?) -> [UInt8] {
        var w = JSONLineWriter()
        w.raw("{\"type\":\"answer\"")
        appendID(id, to: &w)
        w.raw(","); w.key("yes"); w.bool(yes)
        if let refused {
            w.raw(","); w.key("refused"); w.string(refused.message)
            w.raw(","); w.key("hint"); w.string(refused.hint)
        }
        w.raw("}\n")
        return w.bytes
    }

    static func appendID(_ id: JSONValue?, to w: inout JSONLineWriter) {
        guard let id else { return }
        w.raw(","); w.key("id"); w.value(id)
    }

    /// The words the protocol uses for a transaction state.
    static func name(of state: TransactionState) -> String {
        switch state {
        case .idle: return "idle"
        case .inTransaction: return "in-transaction"
        case .failed: return "failed"
        case .active: return "active"
        case .unknown: return "unknown"
        }
    }
}
