/// psql's troff-ms format (`print_troff_ms_text` and `print_troff_ms_vertical`): a tbl table
/// (`.TS` ... `.TE`) with the title in a centred display before it and the footers in one after.
final class TroffRenderer: DocumentRenderer {
    /// In expanded display, the tbl format in force: 0 none yet, 1 record headings, 2 values.
    private var currentFormat = 0

    private var border: Int { settings.border > 2 || settings.border < 0 ? 2 : settings.border }

    /// psql's `troff_ms_escaped_print`: `\` as `\(rs`.
    private static let escapes = escapeTable([RenderByte.backslash: "\\(rs"])

    private func appendTroff(_ text: [UInt8]) {
        appendEscaped(text, Self.escapes)
    }

    override func printStart() {
        currentFormat = 0
        if let title {
            b.append(".LP\n.DS C\n")
            appendTroff(title)
            b.append("\n.DE\n")
        }
        b.append(".LP\n.TS\n")
        b.append(border == 2 ? "center box;\n" : "center;\n")
        if expanded {
            if tuplesOnly { b.append("c l;\n") }
            return
        }
        b.append(rightAligned.map { $0 ? "r" : "l" }.joined(separator: border > 0 ? " | " : ""))
        b.append(".\n")
        if !tuplesOnly {
            for (c, header) in headers.enumerated() {
                if c > 0 { b.append(RenderByte.tab) }
                b.append("\\fI")
                appendTroff(header)
                b.append("\\fP")
            }
            b.append("\n_\n")
        }
    }

    override func printRow(_ cells: [[UInt8]], record: Int) {
        guard !headers.isEmpty else { return }
        if !expanded {
            for (c, cell) in cells.enumerated() {
                appendTroff(cell)
                b.append(c == cells.count - 1 ? RenderByte.newline : RenderByte.tab)
            }
            return
        }
        if !tuplesOnly {
            if currentFormat != 1 {
                if border == 2 && record > 1 { b.append("_\n") }
                if currentFormat != 0 { b.append(".T&\n") }
                b.append("c s.\n")
                currentFormat = 1
            }
            b.append("\\fIRecord \(record)\\fP\n")
        }
        if border >= 1 { b.append("_\n") }
        for (c, cell) in cells.enumerated() {
            if !tuplesOnly && currentFormat != 2 {
                if currentFormat != 0 { b.append(".T&\n") }
                b.append(border != 1 ? "c l.\n" : "c | l.\n")
                currentFormat = 2
            }
            appendTroff(headers[c])
            b.append(RenderByte.tab)
            appendTroff(cell)
            b.append(RenderByte.newline)
        }
    }

    override func printEnd() {
        b.append(".TE\n.DS L\n")
        if !tuplesOnly, let footers = expanded ? tableFooters : footersWithDefault {
            for footer in footers {
                appendTroff(footer)
                b.append(RenderByte.newline)
            }
        }
        b.append(".DE\n")
    }
}
