/// Where a command writes the rows of a table it prints as it goes, one row at a time: each row is
/// rendered in the user's format as it comes (windows of rows for the aligned formats, like a
/// query's result), so the command never holds the whole table and memory stays flat.
/// ``CommandContext/printTable(columns:settings:rows:)`` gives one to the command's closure.
public final class TableRowSink {
    private let renderer: any ResultRenderer
    /// The rows written so far.
    public private(set) var rowCount = 0

    init(renderer: any ResultRenderer) {
        self.renderer = renderer
    }

    /// Writes one row: text values in the table's column order, nil for NULL.
    public func write(_ row: [String?]) {
        write(values: TextRowValues(row))
    }

    /// Writes one row whose values are already bytes in place (the external plugin host).
    package func write(values: some RowValues) {
        renderer.row(values)
        rowCount += 1
    }

    /// Ends the table: the footer (`(N rows)`) in the user's format.
    package func end() {
        renderer.end(commandTag: "SELECT \(rowCount)", rowCount: rowCount)
    }
}

extension CommandContext {
    /// Prints a table whose rows the command produces as it goes: `rows` writes them to the sink
    /// (`sink.write(["1", nil])`); they are printed in the user's format (aligned, csv, json, `\x`,
    /// pager) as they come, as a streamed query result is. When `rows` throws, the rows written so
    /// far are printed with their footer, then the error goes on.
    public func printTable(
        described columns: [ColumnDescription], settings: OutputSettings? = nil, rows: (TableRowSink) throws -> Void
    ) rethrows {
        let sink = beginTable(described: columns, settings: settings)
        defer { sink.end() }
        try rows(sink)
    }

    /// The same with text columns.
    public func printTable(columns: [String], settings: OutputSettings? = nil, rows: (TableRowSink) throws -> Void) rethrows {
        try printTable(described: columns.map { ColumnDescription(name: $0, typeOID: TypeOID.text) }, settings: settings, rows: rows)
    }

    /// Starts a streamed table; the caller ends it with `end()` (the external plugin host, whose
    /// rows arrive in messages between other work).
    package func beginTable(described columns: [ColumnDescription], settings: OutputSettings? = nil) -> TableRowSink {
        let renderer = makeRenderer(settings: settings ?? self.settings, writer: console.output)
        renderer.begin(columns: columns)
        return TableRowSink(renderer: renderer)
    }
}
