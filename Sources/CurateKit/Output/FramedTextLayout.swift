#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// psql's `print_aligned_text` for any border (0–2), line style and the wrapped format: the
/// general path of `AlignedRenderer` (its own hot path covers border 1 in ascii, unwrapped).
///
/// ```
/// border 2, unicode:          wrapped to 20 columns:
/// ┌────┬───────┐              +----+------------+
/// │ id │ name  │              | id |    name    |
/// ├────┼───────┤              +----+------------+
/// │  1 │ first↵│              |  1 | a long val.|
/// │    │ second│              |    |.ue         |
/// └────┴───────┘              +----+------------+
/// ```
extension WindowedRenderer {
    /// The border as `print_aligned_text` uses it: above 2 is 2.
    var textBorder: Int { settings.border > 2 || settings.border < 0 ? 2 : settings.border }

    /// psql's target width: `\pset columns`, else at a terminal `$COLUMNS` or the terminal's
    /// width (0: unknown, no wrapping).
    var outputColumns: Int {
        if settings.columns > 0 { return settings.columns }
        guard let terminal = settings.terminalWidth else { return 0 }
        return TerminalColumns.environment ?? terminal
    }

    /// The frame's own width for `n` columns (psql's starting `width_total`).
    func frameWidth(columns n: Int, border: Int) -> Int {
        switch border {
        case 0: return n
        case 1: return n * 3 - (n > 0 ? 1 : 0)
        default: return n * 3 + 1
        }
    }

    /// psql's column widths for this window: the widest line of each column, narrowed in the
    /// wrapped format (the column with the highest maximum to average ratio first) until the
    /// table fits `outputColumns`. Returns the widths and the table's total width.
    func wrappedColumnWidths(border: Int) -> (widths: [Int], total: Int, headerTotal: Int) {
        let n = columns.count
        var widths = [Int](repeating: 0, count: n)
        var total = frameWidth(columns: n, border: border)
        var headerTotal = total
        for c in 0..<n {
            widths[c] = max(headerWidths[c], window.maxWidths[c])
            total += widths[c]
            headerTotal += headerWidths[c]
        }
        let target = outputColumns
        guard settings.format == .wrapped, target > 0, target >= headerTotal, window.rowCount > 0 else {
            return (widths, total, headerTotal)
        }
        let maxWidths = widths
        var averages = [Int](repeating: 0, count: n)
        for r in 0..<window.rowCount {
            for c in 0..<n { averages[c] += Int(window.widths[r * n + c]) }
        }
        for c in 0..<n { averages[c] /= window.rowCount }
        while total > target {
            var worstRatio = 0.0
            var worst = -1
            for c in 0..<n where averages[c] != 0 && widths[c] > headerWidths[c] {
                // Wide columns are penalised by 1% of their width.
                let ratio = Double(widths[c]) / Double(averages[c]) + Double(maxWidths[c]) * 0.01
                if ratio > worstRatio {
                    worstRatio = ratio
                    worst = c
                }
            }
            if worst < 0 { break }
            widths[worst] -= 1
            total -= 1
        }
        return (widths, total, headerTotal)
    }

    /// psql's `_print_horizontal_line`.
    func appendHorizontalLine(widths: [Int], border: Int, position: TextLineStyle.Position, style: TextLineStyle) {
        let rule = style.rule(position)
        let b = out.buffer
        if border == 1 {
            b.append(rule.horizontal)
        } else if border == 2 {
            b.append(rule.left)
            b.append(rule.horizontal)
        }
        for (i, width) in widths.enumerated() {
            for _ in 0..<width { b.append(rule.horizontal) }
            if i < widths.count - 1 {
                if border == 0 {
                    b.append(RenderByte.space)
                } else {
                    b.append(rule.horizontal)
                    b.append(rule.middle)
                    b.append(rule.horizontal)
                }
            }
        }
        if border == 2 {
            b.append(rule.horizontal)
            b.append(rule.right)
        } else if border == 1 {
            b.append(rule.horizontal)
        }
        b.append(RenderByte.newline)
    }

    /// The title line of an aligned table: centred over `tableWidth`, or from the left when as wide.
    func appendCentredTitle(tableWidth: Int) {
        guard let title = settings.title, !settings.tuplesOnly else { return }
        let width = DisplayWidth.width(of: title)
        if width < tableWidth { out.buffer.append(repeating: RenderByte.space, count: (tableWidth - width) / 2) }
        out.buffer.append(PsqlText.validatedBytes(title))
        out.buffer.append(RenderByte.newline)
    }

    /// Prints `window` as psql's aligned table with the settings' border, line style and widths.
    func printFramedTextWindow(start: Bool, stop: Bool, widths: [Int], total: Int) {
        let n = columns.count
        let border = textBorder
        let style = TextLineStyle.of(settings)
        let data = style.rule(.data)
        let b = out.buffer
        if start {
            appendCentredTitle(tableWidth: total)
            if !settings.tuplesOnly {
                if border == 2 { appendHorizontalLine(widths: widths, border: border, position: .top, style: style) }
                var done = [Bool](repeating: false, count: n)
                var remaining = n
                var lineIndex = 0
                while remaining > 0 {
                    if border == 2 { b.append(data.left) }
                    for i in 0..<n {
                        if border != 0 || (!style.wrapRightBorder && i > 0) {
                            b.append(lineIndex > 0 ? style.headerNewlineLeft : TextLineStyle.space)
                        }
                        if !done[i] {
                            let line = headerLines[i][lineIndex]
                            let spaces = widths[i] - line.width
                            b.append(repeating: RenderByte.space, count: spaces / 2)
                            appendHeaderLine(line)
                            b.append(repeating: RenderByte.space, count: (spaces + 1) / 2)
                            if lineIndex + 1 >= headerLines[i].count {
                                done[i] = true
                                remaining -= 1
                            }
                        } else {
                            b.append(repeating: RenderByte.space, count: widths[i])
                        }
                        if border != 0 || style.wrapRightBorder {
                            b.append(!done[i] ? style.headerNewlineRight : TextLineStyle.space)
                        }
                        if border != 0 && i < n - 1 { b.append(data.middle) }
                    }
                    lineIndex += 1
                    if border == 2 { b.append(data.right) }
                    b.append(RenderByte.newline)
                }
                appendHorizontalLine(widths: widths, border: border, position: .middle, style: style)
            }
        }

        var lineOf = [Int](repeating: 0, count: n)
        var bytesDone = [Int](repeating: 0, count: n)
        // Per column, how its next line continues: 0 nothing, 1 a wrapped line, 2 after a newline.
        var wrap = [UInt8](repeating: 0, count: n)
        for r in 0..<window.rowCount where n > 0 {
            scratch.removeAll()
            for c in 0..<n {
                formatCell(r * n + c, column: c)
                lineOf[c] = 0
                bytesDone[c] = 0
                wrap[c] = 0
            }
            var moreLines = true
            while moreLines {
                moreLines = false
                if border == 2 { b.append(data.left) }
                for j in 0..<n {
                    let lines = cellLines[j]
                    var chars = widths[j]
                    let finalSpaces = border == 2 || j < n - 1
                    if border != 0 {
                        b.append(wrap[j] == 1 ? style.wrapLeft : wrap[j] == 2 ? style.newlineLeft : TextLineStyle.space)
                    }
                    if lineOf[j] >= lines.count {
                        if finalSpaces { b.append(repeating: RenderByte.space, count: chars) }
                    } else {
                        let line = lines[lineOf[j]]
                        let from = scratch.base + line.start + bytesDone[j]
                        let (count, width) = DisplayWidth.prefix(from, count: line.length - bytesDone[j], fitting: chars)
                        chars = min(width, widths[j])
                        if rightAligned[j] { b.append(repeating: RenderByte.space, count: widths[j] - chars) }
                        b.append(UnsafeRawBufferPointer(start: from, count: count))
                        bytesDone[j] += count
                        if bytesDone[j] < line.length {
                            moreLines = true
                        } else {
                            lineOf[j] += 1
                            if lineOf[j] < lines.count { moreLines = true }
                            bytesDone[j] = 0
                        }
                    }
                    wrap[j] = 0
                    if lineOf[j] < lines.count {
                        if bytesDone[j] != 0 { wrap[j] = 1 } else if lineOf[j] != 0 { wrap[j] = 2 }
                    }
                    if !rightAligned[j] && (finalSpaces || wrap[j] != 0) {
                        b.append(repeating: RenderByte.space, count: widths[j] - chars)
                    }
                    if wrap[j] == 1 {
                        b.append(style.wrapRight)
                    } else if wrap[j] == 2 {
                        b.append(style.newlineRight)
                    } else if finalSpaces {
                        b.append(RenderByte.space)
                    }
                    if border != 0 && j < n - 1 {
                        if wrap[j + 1] == 1 {
                            b.append(style.middleWrap)
                        } else if wrap[j + 1] == 2 {
                            b.append(style.middleNewline)
                        } else if lineOf[j + 1] >= cellLines[j + 1].count {
                            b.append(style.middleBlank)
                        } else {
                            b.append(data.middle)
                        }
                    }
                }
                if border == 2 { b.append(data.right) }
                b.append(RenderByte.newline)
            }
            out.drainIfFull()
        }
        if stop {
            if border == 2 { appendHorizontalLine(widths: widths, border: border, position: .bottom, style: style) }
            appendFooter(rows: priorRows + window.rowCount)
        }
    }
}

/// psql reads `$COLUMNS` once at start (its `env_columns`); a positive number there wins over the
/// terminal's own width.
enum TerminalColumns {
    static let environment: Int? = {
        guard let value = getenv("COLUMNS") else { return nil }
        let columns = atoi(value)
        return columns > 0 ? Int(columns) : nil
    }()
}

extension DisplayWidth {
    /// psql's `strlen_max_width`: how many bytes of the formatted text at `p` fill at most `target`
    /// columns (the first character always goes in), and the columns they fill.
    static func prefix(_ p: UnsafePointer<UInt8>, count: Int, fitting target: Int) -> (count: Int, width: Int) {
        var i = 0
        var width = 0
        while i < count {
            let lead = p[i]
            let length = sequenceLength(lead: lead)
            let characterWidth = lead < 0x80 ? (lead >= 0x20 && lead < 0x7F ? 1 : (lead == 0 ? 0 : -1)) : (i + length <= count ? DisplayWidth.width(ofCharacterAt: p + i) : 1)
            if target < width + characterWidth && width != 0 { break }
            width += characterWidth
            i = min(i + length, count)
        }
        return (i, width)
    }
}
