/// psql's asciidoc format (`print_asciidoc_text` and `print_asciidoc_vertical`): a `|====` table
/// after an empty line, the title as its `.title`, the footers in a `....` block.
final class AsciiDocRenderer: DocumentRenderer {
    /// psql's `asciidoc_escaped_print`: `|` as `\|`.
    private static let escapes = escapeTable([RenderByte.pipe: "\\|"])

    private func appendAsciiDoc(_ text: [UInt8]) {
        appendEscaped(text, Self.escapes)
    }

    private var frame: String {
        switch settings.border {
        case 0: return ",frame=\"none\",grid=\"none\""
        case 1: return ",frame=\"none\""
        case 2: return ",frame=\"all\",grid=\"all\""
        default: return ""
        }
    }

    override func printStart() {
        b.append(RenderByte.newline)
        if let title {
            b.append(".")
            b.append(title)
            b.append(RenderByte.newline)
        }
        if expanded {
            b.append("[cols=\"h,l\"\(frame)]\n|====\n")
            return
        }
        b.append("[\(tuplesOnly ? "" : "options=\"header\",")cols=\"")
        b.append(rightAligned.map { $0 ? ">l" : "<l" }.joined(separator: ","))
        b.append("\"\(frame)]\n|====\n")
        if !tuplesOnly {
            for (c, header) in headers.enumerated() {
                if c > 0 { b.append(RenderByte.space) }
                b.append("^l|")
                appendAsciiDoc(header)
            }
            b.append(RenderByte.newline)
        }
    }

    override func printRow(_ cells: [[UInt8]], record: Int) {
        guard !headers.isEmpty else { return }
        if expanded {
            b.append(tuplesOnly ? "2+|\n" : "2+^|Record \(record)\n")
            for (c, cell) in cells.enumerated() {
                b.append("<l|")
                appendAsciiDoc(headers[c])
                b.append(rightAligned[c] ? " >l|" : " <l|")
                if Self.isBlank(cell) { b.append(RenderByte.space) } else { appendAsciiDoc(cell) }
                b.append(RenderByte.newline)
            }
            return
        }
        for (c, cell) in cells.enumerated() {
            if c > 0 { b.append(RenderByte.space) }
            b.append(RenderByte.pipe)
            if Self.isBlank(cell) {
                if c < cells.count - 1 { b.append(RenderByte.space) }
            } else {
                appendAsciiDoc(cell)
            }
        }
        b.append(RenderByte.newline)
    }

    override func chunkDidEnd() {
        b.append("|====\n")
    }

    override func printEnd() {
        if !tuplesOnly, let footers = expanded ? tableFooters : footersWithDefault {
            b.append("\n....\n")
            for footer in footers {
                b.append(footer)
                b.append(RenderByte.newline)
            }
            b.append("....\n")
        }
    }
}
