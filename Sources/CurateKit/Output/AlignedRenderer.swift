/// psql's default format (`print_aligned_text` in fe_utils/print.c, border 1, ascii line style).
///
/// ```
///  id |  name
/// ----+--------
///   1 | first +
///     | second
/// (1 row)
///
/// ```
/// Headers are centred; numeric types are right-aligned; a left-aligned last column gets no
/// trailing padding; a value with newlines continues on the next lines with `+` markers.
///
/// Rows are printed window by window (`windowRows`, default 1000), like psql with `FETCH_COUNT`:
/// each window is sized on its own rows (and the headers); the header is printed before the first
/// window only and the `(N rows)` footer, counting every row, after the last. A result no larger
/// than one window is printed exactly like psql without `FETCH_COUNT`.
///
/// With `expanded == .auto` the first window decides, like psql's `\x auto`, whether the table
/// would be wider than `\pset columns` or the terminal; if so the whole result is printed in the
/// expanded layout. Other borders, line styles and the wrapped format go through
/// `printFramedTextWindow` (FramedTextLayout.swift); this file keeps psql's default fast.
final class AlignedRenderer: WindowedRenderer {
    static let defaultWindowRows = 1000

    /// Per result: nil until the first window decides (only with `expanded == .auto`).
    private var useExpanded: Bool? = nil
    private var columnWidths: UnsafeMutablePointer<Int> = .allocate(capacity: 1)
    private var columnWidthsCapacity = 1
    private var nextLine: [Int] = []

    override init(settings: OutputSettings, writer: OutputWriter, windowRows: Int = AlignedRenderer.defaultWindowRows) {
        super.init(settings: settings, writer: writer, windowRows: windowRows)
    }

    deinit { columnWidths.deallocate() }

    override func resultDidBegin() {
        useExpanded = nil
        let n = columns.count
        if n > columnWidthsCapacity {
            columnWidths.deallocate()
            columnWidths = .allocate(capacity: n)
            columnWidthsCapacity = n
        }
        nextLine = Array(repeating: 0, count: n)
    }

    override func printWindow(start: Bool, stop: Bool) {
        let n = columns.count
        let border = textBorder
        let (widths, widthTotal, headerTotal) = wrappedColumnWidths(border: border)
        for c in 0..<n { columnWidths[c] = widths[c] }
        if useExpanded == nil {
            // psql: expanded == 2 && output_columns > 0 && ncolumns > 1 &&
            //       (output_columns < total_header_width || output_columns < width_total)
            let terminal = outputColumns
            // A result psql fetches in more than one batch (FETCH_COUNT) to stdout goes through its
            // pager logic, which makes `\x auto` expanded whatever the width, even without a terminal.
            let batched = settings.fetchCount > 0 && start && !stop && out.writer.fileDescriptor == 1
            useExpanded = settings.expanded == .auto && (batched || (terminal > 0 && n > 1 && (terminal < headerTotal || terminal < widthTotal)))
        }
        if useExpanded == true {
            printExpandedWindow(start: start, stop: stop)
            return
        }
        // Wrapped output that wraps nothing is the aligned table itself.
        let unwrapped = settings.format == .aligned || (0..<n).allSatisfy { widths[$0] == max(headerWidths[$0], window.maxWidths[$0]) }
        guard border == 1 && settings.lineStyle == .ascii && unwrapped else {
            printFramedTextWindow(start: start, stop: stop, widths: widths, total: widthTotal)
            return
        }

        if start && !settings.tuplesOnly {
            appendCentredTitle(tableWidth: widthTotal)
            printHeader()
        }
        if n > 0 {
            for r in 0..<window.rowCount {
                if window.rowKinds[r] == CellWindow.plain {
                    printPlainRow(r)
                } else {
                    printRow(r)
                }
                out.drainIfFull()
            }
        }
        if stop {
            appendFooter(rows: priorRows + window.rowCount)
        }
    }

    /// The centred column names and the `---+---` rule.
    private func printHeader() {
        let n = columns.count
        let b = out.buffer
        var done = Array(repeating: false, count: n)
        var remaining = n
        var lineIndex = 0
        while remaining > 0 {
            for i in 0..<n {
                b.append(RenderByte.space)
                if !done[i] {
                    let line = headerLines[i][lineIndex]
                    let spaces = columnWidths[i] - line.width
                    b.append(repeating: RenderByte.space, count: spaces / 2)
                    appendHeaderLine(line)
                    b.append(repeating: RenderByte.space, count: (spaces + 1) / 2)
                    if lineIndex + 1 >= headerLines[i].count {
                        done[i] = true
                        remaining -= 1
                    }
                } else {
                    b.append(repeating: RenderByte.space, count: columnWidths[i])
                }
                b.append(done[i] ? RenderByte.space : RenderByte.plus)
                if i < n - 1 { b.append(RenderByte.pipe) }
            }
            lineIndex += 1
            b.append(RenderByte.newline)
        }
        b.append(RenderByte.minus)
        for i in 0..<n {
            b.append(repeating: RenderByte.minus, count: columnWidths[i])
            if i < n - 1 {
                b.append(RenderByte.minus)
                b.append(RenderByte.plus)
                b.append(RenderByte.minus)
            }
        }
        b.append(RenderByte.minus)
        b.append(RenderByte.newline)
    }

    /// A row whose cells are all single-line and printable as they are: the hot path.
    @inline(__always)
    private func printPlainRow(_ r: Int) {
        let n = columns.count
        let last = n - 1
        let first = r * n
        let ends = window.ends
        let widths = window.widths
        let data = window.data.base
        let columnWidths = self.columnWidths
        let rowStart = first == 0 ? 0 : ends[first - 1]
        let rowBytes = ends[first + last] - rowStart
        var padTotal = 0
        for c in 0..<n { padTotal += columnWidths[c] }
        let b = out.buffer
        // Short copies and paddings below may write up to `RenderBuffer.slack` bytes past the end.
        b.reserve(rowBytes + padTotal + 3 * n + 1)
        var p = b.end
        var start = rowStart
        rightAligned.withUnsafeBufferPointer { right in
            for c in 0..<n {
                let end = ends[first + c]
                let length = end - start
                let pad = columnWidths[c] - Int(widths[first + c])
                p.pointee = RenderByte.space
                p += 1
                if right[c] {
                    AlignedRenderer.spaces(&p, pad)
                    AlignedRenderer.copy(&p, data + start, length)
                } else {
                    AlignedRenderer.copy(&p, data + start, length)
                    if c < last { AlignedRenderer.spaces(&p, pad) }
                }
                if c < last {
                    p[0] = RenderByte.space
                    p[1] = RenderByte.pipe
                    p += 2
                }
                start = end
            }
        }
        p.pointee = RenderByte.newline
        p += 1
        b.count = p - b.base
    }

    private static let eightSpaces: UInt64 = 0x2020_2020_2020_2020

    /// Writes `count` spaces; up to 16 with two stores (which may write past `count`).
    @inline(__always)
    private static func spaces(_ p: inout UnsafeMutablePointer<UInt8>, _ count: Int) {
        guard count > 0 else { return }
        if count <= 16 {
            let raw = UnsafeMutableRawPointer(p)
            raw.storeBytes(of: eightSpaces, as: UInt64.self)
            raw.storeBytes(of: eightSpaces, toByteOffset: 8, as: UInt64.self)
        } else {
            p.initialize(repeating: RenderByte.space, count: count)
        }
        p += count
    }

    /// Copies `count` bytes; up to 16 with two loads and stores (which may read and write past
    /// `count`: both buffers are `RenderBuffer`s, with slack).
    @inline(__always)
    private static func copy(_ p: inout UnsafeMutablePointer<UInt8>, _ source: UnsafeMutablePointer<UInt8>, _ count: Int) {
        if count <= 16 {
            let from = UnsafeRawPointer(source)
            let to = UnsafeMutableRawPointer(p)
            to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        } else {
            p.update(from: source, count: count)
        }
        p += count
    }

    /// Any row: psql's line-by-line loop with newline markers.
    private func printRow(_ r: Int) {
        let n = columns.count
        let last = n - 1
        scratch.removeAll()
        for c in 0..<n {
            formatCell(r * n + c, column: c)
            nextLine[c] = 0
        }
        let b = out.buffer
        var moreLines = true
        while moreLines {
            moreLines = false
            for j in 0..<n {
                let lines = cellLines[j]
                let width = columnWidths[j]
                var charsOutput = width
                b.append(RenderByte.space)
                if nextLine[j] >= lines.count {
                    // Past this cell's last line: pad for the columns after it.
                    if j < last { b.append(repeating: RenderByte.space, count: width) }
                } else {
                    let line = lines[nextLine[j]]
                    charsOutput = line.width
                    if rightAligned[j] {
                        b.append(repeating: RenderByte.space, count: width - charsOutput)
                    }
                    b.append(UnsafeRawBufferPointer(start: scratch.base + line.start, count: line.length))
                    nextLine[j] += 1
                    if nextLine[j] < lines.count { moreLines = true }
                }
                let continues = nextLine[j] < lines.count
                if !rightAligned[j] && (j < last || continues) {
                    b.append(repeating: RenderByte.space, count: width - charsOutput)
                }
                if continues {
                    b.append(RenderByte.plus)
                } else if j < last {
                    b.append(RenderByte.space)
                }
                if j < last { b.append(RenderByte.pipe) }
            }
            b.append(RenderByte.newline)
        }
    }
}
