import ArgumentParser
import CurateKit

/// `\crosstabview [colV [colH [colD [sortcolH]]]]`: sends the query and shows its result pivoted,
/// as psql does: the distinct values of colV down the side, those of colH across the top (in
/// order of appearance, or by sortcolH's integers), colD's values in the cells.
struct CrosstabviewCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosstabview",
        abstract: "Send the query and show its result as a crosstab (pivot) table.",
        discussion: "\\crosstabview [COLV [COLH [COLD [SORTCOLH]]]]: columns by number (from 1) or by name.")
    static let readsRawArguments = true

    @Argument(help: "COLV COLH COLD SORTCOLH.") var arguments: String?

    func run(shell: Shell) throws {
        guard let frame = shell.frames.last else { return }
        var scanner = QuerySend.scanner(arguments ?? "", shell: shell, frame: frame)
        var choices: [String] = []
        while choices.count < 4, let argument = try QuerySend.readArgument(&scanner, shell: shell) { choices.append(argument) }
        QuerySend.warnExtraArguments(&scanner, command: "crosstabview", shell: shell, frame: frame)
        guard let statement = QuerySend.takeQuery(shell: shell, frame: frame) else { return }
        var result: QueryResult?
        shell.run(statement, in: frame) { sql in result = try shell.session.execute(sql) }
        guard let result else { return }
        if result.columns.isEmpty {
            QuerySend.printStatus(result.commandTag, shell: shell, frame: frame)
            return
        }
        defer { QuerySend.printStatusAfterRows(result.commandTag, shell: shell, frame: frame) }
        let settings = shell.makeContext(frame).settings
        let pivot = try Crosstab(result: result, choices: choices, nullDisplay: settings.nullDisplay)
        shell.makeContext(frame).printTable(described: pivot.columns, rows: pivot.rows)
    }
}

/// A result pivoted as psql's `\crosstabview` pivots it (`crosstabview.c`).
struct Crosstab {
    private(set) var columns: [ColumnDescription] = []
    private(set) var rows: [[String?]] = []

    /// psql allows no more columns than a table may have.
    static let maximumColumns = 1600

    init(result: QueryResult, choices: [String], nullDisplay: String) throws {
        let fields = result.columns
        guard fields.count >= 3 else { throw Self.failure("query must return at least three columns") }
        let vertical = try choices.count > 0 ? Self.column(choices[0], in: fields) : 0
        let horizontal = try choices.count > 1 ? Self.column(choices[1], in: fields) : 1
        guard vertical != horizontal else { throw Self.failure("vertical and horizontal headers must be different columns") }
        let data: Int
        if choices.count > 2 {
            data = try Self.column(choices[2], in: fields)
        } else {
            guard fields.count == 3 else {
                throw Self.failure("data column must be specified when query returns more than three columns")
            }
            data = (0..<3).first { $0 != vertical && $0 != horizontal }!
        }
        let sortColumn = try choices.count > 3 ? Self.column(choices[3], in: fields) : nil

        // The distinct header values, numbered in order of appearance.
        var columnRank: [HeaderValue: Int] = [:]
        var columnValues: [HeaderValue] = []
        var sortValues: [String?] = []
        var rowRank: [HeaderValue: Int] = [:]
        var rowValues: [HeaderValue] = []
        for row in result.rows {
            let across = HeaderValue(row[horizontal])
            if columnRank[across] == nil {
                columnRank[across] = columnValues.count
                columnValues.append(across)
                sortValues.append(sortColumn.flatMap { row[$0] })
                if columnValues.count > Self.maximumColumns {
                    throw Self.failure("maximum number of columns (\(Self.maximumColumns)) exceeded")
                }
            }
            let down = HeaderValue(row[vertical])
            if rowRank[down] == nil {
                rowRank[down] = rowValues.count
                rowValues.append(down)
            }
        }
        if sortColumn != nil {
            // By the sort column's integer (anything else counts as 0), ties in the order of
            // the values themselves (NULL last), as psql's rankSort.
            let byValue = columnValues.indices.sorted { columnValues[$0] < columnValues[$1] }
            let ordered = byValue.enumerated().sorted { left, right in
                let (a, b) = (Self.rank(sortValues[left.element]), Self.rank(sortValues[right.element]))
                return a != b ? a < b : left.offset < right.offset
            }
            for (position, entry) in ordered.enumerated() { columnRank[columnValues[entry.element]] = position }
        }

        let shown = { (value: HeaderValue) in value.text ?? nullDisplay }
        columns = [fields[vertical]] + Array(repeating: fields[data], count: columnValues.count)
        for value in columnValues {
            columns[1 + columnRank[value]!] = ColumnDescription(name: shown(value), typeOID: fields[data].typeOID)
        }
        var cells: [[String?]] = rowValues.map { [shown($0)] + Array(repeating: nil, count: columnValues.count) }
        for row in result.rows {
            let down = HeaderValue(row[vertical])
            let across = HeaderValue(row[horizontal])
            let (line, cell) = (rowRank[down]!, 1 + columnRank[across]!)
            guard cells[line][cell] == nil else {
                let name = { (value: HeaderValue) in value.text ?? (nullDisplay.isEmpty ? "(null)" : nullDisplay) }
                throw Self.failure("query result contains multiple data values for row \"\(name(down))\", column \"\(name(across))\"")
            }
            cells[line][cell] = row[data] ?? nullDisplay
        }
        rows = cells.map { $0.map { $0 ?? "" } }
    }

    /// A header value; NULL is one value of its own, after every other in psql's order.
    struct HeaderValue: Hashable, Comparable {
        let text: String?
        init(_ text: String?) { self.text = text }

        static func < (left: HeaderValue, right: HeaderValue) -> Bool {
            guard let a = left.text else { return false }
            guard let b = right.text else { return true }
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
    }

    /// psql's rank: the value as an integer when it is one (`-?[0-9]*`), else 0.
    private static func rank(_ value: String?) -> Int {
        guard let value else { return 0 }
        let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return 0 }
        return Int(value) ?? 0
    }

    /// A column by number (from 1) or by name (unquoted parts folded to lower case, as psql).
    private static func column(_ argument: String, in fields: [ColumnDescription]) throws -> Int {
        if !argument.isEmpty, argument.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let number = Int(argument.prefix(10)) ?? Int.max
            guard number >= 1, number <= fields.count else {
                throw failure("column number \(number) is out of range 1..\(fields.count)")
            }
            return number - 1
        }
        let name = dequoted(argument)
        let matches = fields.indices.filter { fields[$0].name == name }
        guard !matches.isEmpty else { throw failure("column name not found: \"\(name)\"") }
        guard matches.count == 1 else { throw failure("ambiguous column name: \"\(name)\"") }
        return matches[0]
    }

    /// psql's `dequote_downcase_identifier`: `"..."` kept as written (`""` is a quote), the rest
    /// in lower case (ASCII letters).
    static func dequoted(_ text: String) -> String {
        var result: [UInt8] = []
        var quoted = false
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if quoted, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                    result.append(byte)
                    index += 2
                    continue
                }
                quoted.toggle()
                index += 1
                continue
            }
            result.append(!quoted && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte)
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func failure(_ message: String) -> ShellFailure {
        ShellFailure("\\crosstabview: " + message)
    }
}
