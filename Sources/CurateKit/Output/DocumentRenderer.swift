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
        if let footers = settings.tableFooters { return footers.isEmpty ? nil : footers.map { PsqlText.validatedBytes($0) } }
        return settings.footer ? [Array(PsqlText.rowCountFooter(rows).utf8)] : nil
    }

    /// The table's own footers only (psql's vertical formats print no `(N rows)`).
    var tableFooters: [[UInt8]]? { settings.ownFooters.map { $0.map { PsqlText.validatedBytes($0) } } }

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
                // Each cell's array keeps its capacity from row to row.
                cells[c].removeAll(keepingCapacity: true)
                if value.count == 0 && values.isNull(c) {
                    cells[c].append(contentsOf: nullDisplay)
                    return
                }
                cells[c].append(contentsOf: value)
                let valid = cells[c].withUnsafeBufferPointer { buffer in
                    buffer.isEmpty || DisplayWidth.isPrintableASCII(buffer.baseAddress!, count: buffer.count)
                        || DisplayWidth.isValid(buffer.baseAddress!, count: buffer.count)
                }
                if !valid {
                    let n = cells[c].withUnsafeMutableBufferPointer { DisplayWidth.dropInvalidSequences($0.baseAddress!, count: $0.count) }
                    cells[c].removeLast(cells[c].count - n)
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

    /// A format's escapes: per byte value, what replaces it (nil: the byte itself).
    typealias EscapeTable = [[UInt8]?]

    static func escapeTable(_ replacements: [UInt8: String]) -> EscapeTable {
        var table = EscapeTable(repeating: nil, count: 256)
        for (byte, text) in replacements { table[Int(byte)] = Array(text.utf8) }
        return table
    }

    /// Appends `bytes` with the bytes `table` names replaced; runs of other bytes are copied whole.
    func appendEscaped(_ bytes: [UInt8], _ table: EscapeTable) {
        bytes.withUnsafeBytes { buffer in
            var runStart = 0
            for i in 0..<buffer.count {
                guard let replacement = table[Int(buffer[i])] else { continue }
                if i > runStart { b.append(UnsafeRawBufferPointer(rebasing: buffer[runStart..<i])) }
                b.append(replacement)
                runStart = i + 1
            }
            if buffer.count > runStart { b.append(UnsafeRawBufferPointer(rebasing: buffer[runStart..<buffer.count])) }
        }
    }
}
