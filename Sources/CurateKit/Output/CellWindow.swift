/// A bounded window of rows copied out of the result, measured the way psql measures cells.
///
/// The aligned and expanded layouts size their columns from the rows they hold, so they hold a
/// window (by default 1000 rows, like psql with `FETCH_COUNT=1000`) and print it before taking
/// more. Values are copied (the server's buffer is only valid inside `RowValues.withValue`) into
/// one contiguous byte buffer, after psql's `mbvalidate`; per cell the window keeps the end offset,
/// the display width of the longest line and a kind:
///
/// - `plain`: one line, printed byte for byte (printable ASCII or characters of width >= 0);
/// - `formatted`: one line that psql shows differently (tabs, `\r`, control characters);
/// - `multiline`: has newlines.
final class CellWindow {
    static let plain: UInt8 = 0
    static let formatted: UInt8 = 1
    static let multiline: UInt8 = 2

    let columnCount: Int
    let capacity: Int
    let data: RenderBuffer
    /// Per cell (row-major): the offset just past the cell's bytes in `data`.
    let ends: UnsafeMutablePointer<Int>
    /// Per cell: the display width of its longest line.
    let widths: UnsafeMutablePointer<Int32>
    /// Per cell: `plain`, `formatted` or `multiline`.
    let kinds: UnsafeMutablePointer<UInt8>
    /// Per row: the bitwise OR of its cells' kinds (0: every cell plain).
    let rowKinds: UnsafeMutablePointer<UInt8>
    /// Per column: the widest cell in the window.
    let maxWidths: UnsafeMutablePointer<Int>
    private(set) var rowCount = 0

    private let nullBytes: [UInt8]
    private let nullWidth: Int
    private let nullKind: UInt8

    /// `nullStyle`: escape sequences around the NULL text (colour); they take no columns.
    init(columnCount: Int, capacity: Int, nullDisplay: [UInt8], nullStyle: (prefix: [UInt8], suffix: [UInt8])? = nil) {
        self.columnCount = columnCount
        self.capacity = max(capacity, 1)
        let cells = max(columnCount * self.capacity, 1)
        data = RenderBuffer(capacity: 1 << 16)
        ends = .allocate(capacity: cells)
        widths = .allocate(capacity: cells)
        kinds = .allocate(capacity: cells)
        rowKinds = .allocate(capacity: self.capacity)
        maxWidths = .allocate(capacity: max(columnCount, 1))
        maxWidths.initialize(repeating: 0, count: max(columnCount, 1))
        (nullWidth, nullKind) = nullDisplay.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return (0, CellWindow.plain) }
            let size = DisplayWidth.measure(base, count: b.count)
            return (size.width, CellWindow.kind(of: size))
        }
        nullBytes = nullStyle.map { $0.prefix + nullDisplay + $0.suffix } ?? nullDisplay
    }

    deinit {
        ends.deallocate()
        widths.deallocate()
        kinds.deallocate()
        rowKinds.deallocate()
        maxWidths.deallocate()
    }

    var isFull: Bool { rowCount >= capacity }

    /// The widest cell of the whole window.
    var maxWidth: Int {
        var w = 0
        for c in 0..<columnCount where maxWidths[c] > w { w = maxWidths[c] }
        return w
    }

    /// The byte range of cell `index` (row-major) in `data`.
    @inline(__always)
    func range(ofCell index: Int) -> (start: Int, end: Int) {
        (index == 0 ? 0 : ends[index - 1], ends[index])
    }

    @inline(__always)
    static func kind(of size: DisplayWidth.Size) -> UInt8 {
        size.height > 1 ? multiline : (size.needsFormatting ? formatted : plain)
    }

    @inline(__always)
    func append<Values: RowValues>(_ values: Values) {
        let n = columnCount
        let data = self.data
        var index = rowCount * n
        var rowKind: UInt8 = 0
        for column in 0..<n {
            // A non-empty value is never NULL, so `isNull` is asked only for empty values.
            let (width, kind) = values.withValue(column) { value -> (Int, UInt8) in
                if value.count == 0 && values.isNull(column) {
                    data.append(nullBytes)
                    return (nullWidth, nullKind)
                }
                return appendValue(value, to: data)
            }
            ends[index] = data.count
            widths[index] = Int32(truncatingIfNeeded: width)
            kinds[index] = kind
            rowKind |= kind
            if width > maxWidths[column] { maxWidths[column] = width }
            index += 1
        }
        rowKinds[rowCount] = rowKind
        rowCount += 1
    }

    /// Copies one value in, validates it as psql does and measures it.
    @inline(__always)
    private func appendValue(_ value: UnsafeRawBufferPointer, to data: RenderBuffer) -> (Int, UInt8) {
        let n = value.count
        guard n > 0, let source = value.baseAddress else { return (0, CellWindow.plain) }
        data.reserve(n)
        let destination = data.end
        UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: n)
        if DisplayWidth.isPrintableASCII(destination, count: n) {
            data.count += n
            return (n, CellWindow.plain)
        }
        return measureSlow(destination, count: n)
    }

    @inline(never)
    private func measureSlow(_ p: UnsafeMutablePointer<UInt8>, count n: Int) -> (Int, UInt8) {
        var length = n
        if !DisplayWidth.isValid(p, count: n) {
            length = DisplayWidth.dropInvalidSequences(p, count: n)
        }
        let size = DisplayWidth.measure(p, count: length)
        data.count += length
        return (size.width, CellWindow.kind(of: size))
    }

    func removeAll() {
        rowCount = 0
        data.reset()
        maxWidths.update(repeating: 0, count: max(columnCount, 1))
    }
}

/// What the aligned and expanded layouts share: the column headers formatted psql's way, the
/// window of rows, and the bookkeeping of windows printed so far (psql's `start_table`,
/// `stop_table` and `prior_records` when it prints a result chunk by chunk with `FETCH_COUNT`).
class WindowedRenderer: RowCountingRenderer {
    let settings: OutputSettings
    let out: StagedOutput
    let windowRows: Int
    private let nullDisplay: [UInt8]

    var columns: [ColumnDescription] = []
    // Made when a result with rows begins (lazily, like the buffers below): a statement without
    // rows (INSERT, CREATE) prints only its status line, and a renderer is made per statement.
    lazy var window = CellWindow(columnCount: 0, capacity: 1, nullDisplay: [])
    /// Formatted header text; `headerLines[c]` are byte ranges of it.
    lazy var headerText = RenderBuffer(capacity: 256)
    var headerLines: [[DisplayWidth.Line]] = []
    var headerWidths: [Int] = []
    var rightAligned: [Bool] = []
    /// No window of this result printed yet.
    var startTable = true
    /// Rows of this result printed in earlier windows.
    var priorRows = 0
    private(set) var lastResultRowCount = 0

    /// Scratch space for formatting one row's cells.
    lazy var scratch = RenderBuffer(capacity: 1 << 12)
    var cellLines: [[DisplayWidth.Line]] = []

    init(settings: OutputSettings, writer: OutputWriter, windowRows: Int) {
        self.settings = settings
        out = StagedOutput(writer: writer)
        self.windowRows = max(windowRows, 1)
        // In colour, NULL is dimmed, and shown as NULL when no `\pset null` text is set.
        nullDisplay = PsqlText.validatedBytes(settings.color && settings.nullDisplay.isEmpty ? "NULL" : settings.nullDisplay)
    }

    func begin(columns: [ColumnDescription]) {
        self.columns = columns
        window = CellWindow(
            columnCount: columns.count, capacity: windowRows, nullDisplay: nullDisplay,
            nullStyle: settings.color ? (TerminalStyle.dim, TerminalStyle.reset) : nil
        )
        headerText.removeAll()
        headerLines = []
        headerWidths = []
        rightAligned = []
        for column in columns {
            let name = PsqlText.validatedBytes(column.name)
            var lines: [DisplayWidth.Line] = []
            name.withUnsafeBufferPointer { b in
                if let base = b.baseAddress {
                    DisplayWidth.format(base, count: b.count, into: headerText, lines: &lines)
                } else {
                    lines.append(DisplayWidth.Line(start: headerText.count, length: 0, width: 0))
                }
            }
            headerLines.append(lines)
            headerWidths.append(lines.reduce(0) { max($0, $1.width) })
            rightAligned.append(TypeOID.isRightAligned(column.typeOID))
        }
        cellLines = Array(repeating: [], count: columns.count)
        startTable = true
        priorRows = 0
        resultDidBegin()
    }

    func row(_ values: some RowValues) {
        window.append(values)
        if window.isFull {
            printWindow(start: startTable, stop: false)
            startTable = false
            priorRows += window.rowCount
            window.removeAll()
            out.drain()
        }
    }

    func end(commandTag: String, rowCount: Int) {
        printWindow(start: startTable, stop: true)
        lastResultRowCount = priorRows + window.rowCount
        window.removeAll()
        out.finishResult(commandTag: commandTag, quiet: settings.quiet)
    }

    func command(tag: String) {
        out.finishWithTag(tag, quiet: settings.quiet)
    }

    /// Called at the end of `begin`, once the headers are known.
    func resultDidBegin() {}

    /// Prints the rows in `window`; `start`: the first window of the result, `stop`: the last.
    func printWindow(start: Bool, stop: Bool) {
        preconditionFailure("WindowedRenderer.printWindow must be overridden")
    }

    /// The header bytes of a header line.
    @inline(__always)
    func appendHeaderLine(_ line: DisplayWidth.Line) {
        if settings.color { TerminalStyle.bold.withUnsafeBytes { out.buffer.append($0) } }
        out.buffer.append(UnsafeRawBufferPointer(start: headerText.base + line.start, count: line.length))
        if settings.color { TerminalStyle.reset.withUnsafeBytes { out.buffer.append($0) } }
    }

    /// Fills `cellLines[c]` with the printable lines of cell `index` (row-major) of column `c`,
    /// as byte ranges of `scratch` (which the caller clears once per row).
    func formatCell(_ index: Int, column c: Int) {
        cellLines[c].removeAll(keepingCapacity: true)
        let (start, end) = window.range(ofCell: index)
        let base = window.data.base + start
        if window.kinds[index] == CellWindow.plain {
            cellLines[c].append(DisplayWidth.Line(start: scratch.count, length: end - start, width: Int(window.widths[index])))
            scratch.append(UnsafeRawBufferPointer(start: base, count: end - start))
        } else {
            DisplayWidth.format(base, count: end - start, into: scratch, lines: &cellLines[c])
        }
    }

    /// psql's closing lines of a table: the `(N rows)` footer unless `-t` or `footer=off` (or the
    /// table's own footers instead, unless `-t`), then an empty line.
    func appendFooter(rows: Int) {
        if let footers = settings.tableFooters {
            if !settings.tuplesOnly {
                for line in footers {
                    out.buffer.append(PsqlText.validatedBytes(line))
                    out.buffer.append(RenderByte.newline)
                }
            }
        } else if !settings.tuplesOnly && settings.footer {
            out.buffer.append(PsqlText.rowCountFooter(rows))
            out.buffer.append(RenderByte.newline)
        }
        out.buffer.append(RenderByte.newline)
    }
}
