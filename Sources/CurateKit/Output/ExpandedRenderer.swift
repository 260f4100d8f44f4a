/// psql's expanded aligned format (`\x`; `print_aligned_vertical` in psql 15's fe_utils/print.c,
/// border 1, ascii line style): one block per row, one line per column.
///
/// ```
/// -[ RECORD 1 ]-
/// id   | 1
/// name | first +
///      | second
///
/// ```
/// Windowed like `AlignedRenderer`: record numbers run on across windows and each window's
/// `-[ RECORD n ]---` rules are sized on its own rows, as psql does with `FETCH_COUNT`. There is
/// no `(N rows)` footer, except `(0 rows)` for a result without rows; a table's own footers
/// (`tableFooters`) follow an empty line. Other borders, line styles and the wrapped format go
/// through `printFramedVerticalWindow` (FramedVerticalLayout.swift).
final class ExpandedRenderer: WindowedRenderer {
    override init(settings: OutputSettings, writer: OutputWriter, windowRows: Int = AlignedRenderer.defaultWindowRows) {
        super.init(settings: settings, writer: writer, windowRows: windowRows)
    }

    override func printWindow(start: Bool, stop: Bool) {
        printExpandedWindow(start: start, stop: stop)
    }
}

extension WindowedRenderer {
    /// Prints `window` in the expanded layout (also used by `AlignedRenderer` for `\x auto`).
    func printExpandedWindow(start: Bool, stop: Bool) {
        let n = columns.count
        let rows = window.rowCount
        if (rows == 0 || n == 0) && start && stop {
            appendFooter(rows: priorRows + rows)
            return
        }
        guard textBorder == 1 && settings.lineStyle == .ascii && settings.format == .aligned else {
            printFramedVerticalWindow(start: start, stop: stop)
            return
        }
        let headerWidth = headerWidths.max() ?? 0
        let dataWidth = window.maxWidth
        let b = out.buffer
        if start && !settings.tuplesOnly, let title = settings.title {
            b.append(PsqlText.validatedBytes(title))
            b.append(RenderByte.newline)
        }

        // "name<padding> | " for every single-line header: the hot path's prefix.
        let prefixes = RenderBuffer(capacity: 256)
        var prefixEnds: [Int] = []
        for c in 0..<n {
            if headerLines[c].count == 1 {
                let line = headerLines[c][0]
                prefixes.append(UnsafeRawBufferPointer(start: headerText.base + line.start, count: line.length))
                prefixes.append(repeating: RenderByte.space, count: headerWidth - line.width)
                prefixes.append(RenderByte.space)
                prefixes.append(RenderByte.pipe)
                prefixes.append(RenderByte.space)
            }
            prefixEnds.append(prefixes.count)
        }

        if n > 0 {
            for r in 0..<rows {
                if !settings.tuplesOnly {
                    appendRecordLine(record: priorRows + r + 1, headerWidth: headerWidth, dataWidth: dataWidth)
                } else if r != 0 || !start {
                    appendRecordLine(record: 0, headerWidth: headerWidth, dataWidth: dataWidth)
                }
                for c in 0..<n {
                    let index = r * n + c
                    if headerLines[c].count == 1 && window.kinds[index] == CellWindow.plain {
                        let prefixStart = c == 0 ? 0 : prefixEnds[c - 1]
                        b.append(UnsafeRawBufferPointer(start: prefixes.base + prefixStart, count: prefixEnds[c] - prefixStart))
                        let (start, end) = window.range(ofCell: index)
                        b.append(UnsafeRawBufferPointer(start: window.data.base + start, count: end - start))
                        b.append(RenderByte.newline)
                    } else {
                        appendExpandedCell(index, column: c, headerWidth: headerWidth, dataWidth: dataWidth)
                    }
                }
                out.drainIfFull()
            }
        }
        if stop {
            appendVerticalFooters(border: 1)
        }
    }

    /// psql's `print_aligned_vertical_line`: `-[ RECORD 12 ]----+------`, or with `-t` (record 0) a
    /// plain `-----+------` between records.
    private func appendRecordLine(record: Int, headerWidth: Int, dataWidth: Int) {
        let b = out.buffer
        b.append(RenderByte.minus)
        var recordLength = 0
        if record > 0 {
            let before = b.count
            b.append("[ RECORD ")
            b.appendDecimal(record)
            b.append(" ]")
            recordLength = b.count - before
        }
        recordLength += 1
        if recordLength < headerWidth {
            b.append(repeating: RenderByte.minus, count: headerWidth - recordLength)
        }
        recordLength -= headerWidth
        if recordLength <= 0 { b.append(RenderByte.minus) }
        recordLength -= 1
        if recordLength <= 0 { b.append(RenderByte.plus) }
        recordLength -= 1
        if recordLength <= 0 { b.append(RenderByte.minus) }
        recordLength -= 1
        if recordLength < 0 { recordLength = 0 }
        if recordLength < dataWidth {
            b.append(repeating: RenderByte.minus, count: dataWidth - recordLength)
        }
        b.append(RenderByte.newline)
    }

    /// One column of one record when the header or the value spans lines or needs formatting.
    private func appendExpandedCell(_ index: Int, column c: Int, headerWidth: Int, dataWidth: Int) {
        scratch.removeAll()
        formatCell(index, column: c)
        let header = headerLines[c]
        let data = cellLines[c]
        let b = out.buffer
        var h = 0
        var d = 0
        var headerDone = false
        var dataDone = false
        while !headerDone || !dataDone {
            if !headerDone {
                let line = header[h]
                appendHeaderLine(line)
                b.append(repeating: RenderByte.space, count: headerWidth - line.width)
                if h + 1 < header.count {
                    b.append(RenderByte.plus)
                    h += 1
                } else {
                    b.append(RenderByte.space)
                    headerDone = true
                }
            } else {
                b.append(repeating: RenderByte.space, count: headerWidth + 1)
            }
            b.append(RenderByte.pipe)
            if !dataDone {
                let line = data[d]
                b.append(RenderByte.space)
                b.append(UnsafeRawBufferPointer(start: scratch.base + line.start, count: line.length))
                if d + 1 < data.count {
                    b.append(repeating: RenderByte.space, count: dataWidth - line.width)
                    b.append(RenderByte.plus)
                    d += 1
                } else {
                    dataDone = true
                }
            }
            b.append(RenderByte.newline)
        }
    }
}
