/// What psql's document formats share (html, asciidoc, latex, latex-longtable, troff-ms; each
/// `print_*_text` and `print_*_vertical` in fe_utils/print.c): they stream, a row at a time, with
/// no widths to measure. A subclass writes its format's opening, rows and closing; this class
/// turns each row into the cells psql would hand it (NULL as `\pset null`, invalid UTF-8 dropped).
class DocumentRenderer: RowCountingRenderer {
    let settings: OutputSettings
    /// `\x on` (psql's `expanded == 1`; `auto` applies to the aligned formats only).
    let expanded: Bool
    let out: StagedOutput
    private let nullDisplay: [UInt8]
    var headers: [[UInt8]] = []
    var rightAligned: [Bool] = []
    /// Rows of this result printed so far.
    var rows = 0
    private(set) var lastResultRowCount = 0
    private var cells: [[UInt8]] = []

    init(settings: OutputSettings, writer: OutputWriter) {
        self.settings = settings
        expanded = settings.expanded == .on
        out = StagedOutput(writer: writer)
        nullDisplay = PsqlText.validatedBytes(settings.nullDisplay)
    }

    var b: RenderBuffer { out.buffer }
    var tuplesOnly: Bool { settings.tuplesOnly }
    var title: [UInt8]? { settings.tuplesOnly ? nil : settings.title.map { PsqlText.validatedBytes($0) } }

    /// psql's `footers_with_default`: the table's own footers, else `(N rows)` unless `footer` is off.
    var footersWithDefault: [[UInt8]]? {
        if let footers = settings.tableFooters { return footers.map { PsqlText.validatedBytes($0) } }
        return settings.footer ? [Array(PsqlText.rowCountFooter(rows).utf8)] : nil
    }

    /// The table's own footers only (psql's vertical formats print no `(N rows)`).
    var tableFooters: [[UInt8]]? { settings.tableFooters.map { $0.map { PsqlText.validatedBytes($0) } } }

    func begin(columns: [ColumnDescription]) {
        headers = columns.map { PsqlText.validatedBytes($0.name) }
        rightAligned = columns.map { TypeOID.isRightAligned($0.typeOID) }
        rows = 0
        cells = Array(repeating: [], count: columns.count)
        printStart()
    }

    func row(_ values: some RowValues) {
        for c in 0..<headers.count {
            values.withValue(c) { value in
                if value.count == 0 && values.isNull(c) {
                    cells[c] = nullDisplay
                } else {
                    var bytes = [UInt8](value)
                    if !bytes.isEmpty && !bytes.withUnsafeBufferPointer({ DisplayWidth.isValid($0.baseAddress!, count: $0.count) }) {
                        let n = bytes.withUnsafeMutableBufferPointer { DisplayWidth.dropInvalidSequences($0.baseAddress!, count: $0.count) }
                        bytes.removeLast(bytes.count - n)
                    }
                    cells[c] = bytes
                }
            }
        }
        rows += 1
        printRow(cells, record: rows)
        if settings.fetchCount > 0 && rows % settings.fetchCount == 0 { chunkDidEnd() }
        out.drainIfFull()
    }

    func end(commandTag: String, rowCount: Int) {
        chunkDidEnd()
        printEnd()
        lastResultRowCount = rows
        out.finishResult(commandTag: commandTag, quiet: settings.quiet)
    }

    func command(tag: String) {
        out.finishWithTag(tag, quiet: settings.quiet)
    }

    /// The table's opening (psql's `start_table` part).
    func printStart() {}
    /// One row; `record` counts from 1.
    func printRow(_ cells: [[UInt8]], record: Int) {}
    /// After each batch of FETCH_COUNT rows and after the last (psql prints a batch at a time).
    func chunkDidEnd() {}
    /// The table's closing (psql's `stop_table` part).
    func printEnd() {}

    /// Whether a value is empty or only spaces and tabs (psql's `strspn(cell, " \t")` test).
    static func isBlank(_ cell: [UInt8]) -> Bool {
        cell.allSatisfy { $0 == RenderByte.space || $0 == RenderByte.tab }
    }

    /// Appends `bytes` with each byte replaced as `escape` says (nil: the byte itself).
    func appendEscaped(_ bytes: [UInt8], _ escape: (UInt8) -> String?) {
        for byte in bytes {
            if let replacement = escape(byte) { b.append(replacement) } else { b.append(byte) }
        }
    }
}
