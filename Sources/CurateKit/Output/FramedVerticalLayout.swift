/// psql's `print_aligned_vertical` for any border (0–2), line style and the wrapped format: the
/// general path of the expanded layout (`printExpandedWindow` keeps border 1 in ascii fast).
///
/// ```
/// border 0:              border 2, unicode:
/// * Record 1             ┌─[ RECORD 1 ]─┐
/// id   1                 │ id   │ 1     │
/// name first             │ name │ first │
///                        └──────┴───────┘
/// ```
extension WindowedRenderer {
    /// psql's `print_aligned_vertical_line`: a record's heading rule, or a plain rule (record 0).
    func appendVerticalLine(style: TextLineStyle, border: Int, record: Int, headerWidth: Int, dataWidth: Int, position: TextLineStyle.Position) {
        let rule = style.rule(position)
        let b = out.buffer
        if border == 2 {
            b.append(rule.left)
            b.append(rule.horizontal)
        } else if border == 1 {
            b.append(rule.horizontal)
        }
        var length = 0
        if record > 0 {
            let text = border == 0 ? "* Record \(record)" : "[ RECORD \(record) ]"
            b.append(text)
            length = text.utf8.count
        }
        if border != 2 { length += 1 }
        let fill: [UInt8] = border > 0 ? rule.horizontal : TextLineStyle.space
        if length < headerWidth { for _ in length..<headerWidth { b.append(fill) } }
        length -= headerWidth
        if border > 0 {
            if length <= 0 { b.append(rule.horizontal) }
            length -= 1
            if length <= 0 { b.append(rule.middle) }
            length -= 1
            if length <= 0 { b.append(rule.horizontal) }
            length -= 1
        } else {
            if length <= 0 { b.append(RenderByte.space) }
            length -= 1
        }
        if length < 0 { length = 0 }
        if length < dataWidth { for _ in length..<dataWidth { b.append(fill) } }
        if border == 2 {
            b.append(rule.horizontal)
            b.append(rule.right)
        }
        b.append(RenderByte.newline)
    }

    /// The table's own footers under an expanded table (psql prints no `(N rows)` there).
    func appendVerticalFooters(border: Int) {
        if !settings.tuplesOnly, let footers = settings.ownFooters {
            if border < 2 { out.buffer.append(RenderByte.newline) }
            for line in footers {
                out.buffer.append(PsqlText.validatedBytes(line))
                out.buffer.append(RenderByte.newline)
            }
        }
        out.buffer.append(RenderByte.newline)
    }

    /// Prints `window` as psql's expanded table with the settings' border, line style and width.
    func printFramedVerticalWindow(start: Bool, stop: Bool) {
        let n = columns.count
        let rows = window.rowCount
        let border = textBorder
        let style = TextLineStyle.of(settings)
        let oldAscii = style.isOldAscii
        let data = style.rule(.data)
        let b = out.buffer
        let headerWidth = headerWidths.max() ?? 0
        let headerMultiline = headerLines.contains { $0.count > 1 }
        var dataWidth = window.maxWidth
        var dataMultiline = false
        for i in 0..<(rows * n) where window.kinds[i] == CellWindow.multiline {
            dataMultiline = true
            break
        }
        if start && !settings.tuplesOnly, let title = settings.title {
            b.append(PsqlText.validatedBytes(title))
            b.append(RenderByte.newline)
        }

        if settings.format == .wrapped {
            var spacing: Int
            switch border {
            case 0: spacing = headerMultiline ? 2 : 1
            case 1: spacing = headerMultiline && oldAscii ? 4 : 3
            default: spacing = 7
            }
            if dataMultiline && border < 2 && !oldAscii { spacing += 1 }
            var recordWidth = 0
            if !settings.tuplesOnly {
                if rows > 0 { recordWidth = String(rows).count }
                recordWidth += border == 0 ? 9 : border == 1 ? 12 : 15
            }
            let target = outputColumns
            var newWidth = 0
            while true {
                let width = max(headerWidth + spacing + dataWidth, recordWidth)
                if target > 0 {
                    let minimum = max(headerWidth + spacing + 3, recordWidth)
                    if target >= width {
                        newWidth = width - headerWidth - spacing
                    } else if target < minimum {
                        newWidth = minimum - headerWidth - spacing
                    } else {
                        newWidth = target - headerWidth - spacing
                    }
                } else {
                    newWidth = width - headerWidth - spacing
                }
                if newWidth < dataWidth && !dataMultiline && border < 2 && !oldAscii {
                    dataMultiline = true
                    spacing += 1
                } else {
                    break
                }
            }
            dataWidth = newWidth
        }

        for r in 0..<rows where n > 0 {
            let position: TextLineStyle.Position = r == 0 ? .top : .middle
            let lineHeaderWidth = border < 2 && headerMultiline && oldAscii ? headerWidth + 1 : headerWidth
            if !settings.tuplesOnly {
                appendVerticalLine(style: style, border: border, record: priorRows + r + 1, headerWidth: lineHeaderWidth, dataWidth: dataWidth, position: position)
            } else if r != 0 || !start || border == 2 {
                appendVerticalLine(style: style, border: border, record: 0, headerWidth: lineHeaderWidth, dataWidth: dataWidth, position: position)
            }
            for c in 0..<n {
                scratch.removeAll()
                formatCell(r * n + c, column: c)
                let header = headerLines[c]
                let lines = cellLines[c]
                var headerLine = 0
                var dataLine = 0
                var headerDone = false
                var dataDone = false
                var offset = 0
                var charsLeft = lines[0].width
                while !dataDone || !headerDone {
                    if border == 2 { b.append(data.left) }
                    if !headerDone {
                        if border == 2 || (headerMultiline && oldAscii) {
                            b.append(headerLine > 0 ? style.headerNewlineLeft : TextLineStyle.space)
                        }
                        let line = header[headerLine]
                        appendHeaderLine(line)
                        if headerWidth - line.width > 0 { b.append(repeating: RenderByte.space, count: headerWidth - line.width) }
                        let marks = border > 0 || (headerMultiline && !oldAscii)
                        if headerLine + 1 < header.count {
                            if marks { b.append(style.headerNewlineRight) }
                            headerLine += 1
                        } else {
                            if marks { b.append(RenderByte.space) }
                            headerDone = true
                        }
                    } else {
                        var spaces = headerWidth + border
                        if border < 2 && headerMultiline && oldAscii { spaces += 1 }
                        if border == 0 && !oldAscii && headerMultiline { spaces += 1 }
                        b.append(repeating: RenderByte.space, count: max(spaces, 1))
                    }
                    if border > 0 {
                        b.append(offset != 0 ? style.middleWrap : dataLine == 0 ? data.middle : style.middleNewline)
                    }
                    if !dataDone {
                        b.append(offset == 0 ? TextLineStyle.space : style.wrapLeft)
                        let line = lines[dataLine]
                        let from = scratch.base + line.start + offset
                        let (count, width) = DisplayWidth.prefix(from, count: line.length - offset, fitting: dataWidth)
                        b.append(UnsafeRawBufferPointer(start: from, count: count))
                        charsLeft -= width
                        offset += count
                        let pad = dataWidth - width
                        let marks = border > 1 || (dataMultiline && !oldAscii)
                        if charsLeft != 0 {
                            if marks {
                                if pad > 0 { b.append(repeating: RenderByte.space, count: pad) }
                                b.append(style.wrapRight)
                            }
                        } else if dataLine + 1 < lines.count {
                            if marks {
                                if pad > 0 { b.append(repeating: RenderByte.space, count: pad) }
                                b.append(style.newlineRight)
                            }
                            dataLine += 1
                            offset = 0
                            charsLeft = lines[dataLine].width
                        } else {
                            if border > 1 {
                                if pad > 0 { b.append(repeating: RenderByte.space, count: pad) }
                                b.append(RenderByte.space)
                            }
                            dataDone = true
                        }
                        if border == 2 { b.append(data.right) }
                        b.append(RenderByte.newline)
                    } else if border < 2 {
                        b.append(RenderByte.newline)
                    } else {
                        b.append(repeating: RenderByte.space, count: dataWidth + 2)
                        b.append(data.right)
                        b.append(RenderByte.newline)
                    }
                }
            }
            out.drainIfFull()
        }
        if stop {
            if border == 2 {
                appendVerticalLine(style: style, border: border, record: 0, headerWidth: headerWidth, dataWidth: dataWidth, position: .bottom)
            }
            appendVerticalFooters(border: border)
        }
    }
}
