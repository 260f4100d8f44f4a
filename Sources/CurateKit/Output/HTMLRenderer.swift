/// psql's html format (`\pset format html`, `\H`, `-H`; `print_html_text` and
/// `print_html_vertical`): a `<table>` with `border="N"` and `\pset tableattr`, the title as its
/// caption, the footers in a `<p>` after it.
final class HTMLRenderer: DocumentRenderer {
    /// psql's `html_escaped_print`: markup characters as entities, newlines as `<br />`, leading
    /// spaces as `&nbsp;`.
    private func appendHTML(_ text: [UInt8]) {
        var leadingSpace = true
        for byte in text {
            switch byte {
            case UInt8(ascii: "&"): b.append("&amp;")
            case UInt8(ascii: "<"): b.append("&lt;")
            case UInt8(ascii: ">"): b.append("&gt;")
            case RenderByte.newline: b.append("<br />\n")
            case RenderByte.quote: b.append("&quot;")
            case RenderByte.space: b.append(leadingSpace ? "&nbsp;" : " ")
            default: b.append(byte)
            }
            if byte != RenderByte.space { leadingSpace = false }
        }
    }

    private func appendCell(_ cell: [UInt8]) {
        if Self.isBlank(cell) { b.append("&nbsp; ") } else { appendHTML(cell) }
    }

    override func printStart() {
        // psql prints the border as an unsigned short.
        b.append("<table border=\"\(UInt16(truncatingIfNeeded: settings.border))\"")
        if let attributes = settings.tableAttributes { b.append(" \(attributes)") }
        b.append(">\n")
        if let title {
            b.append("  <caption>")
            appendHTML(title)
            b.append("</caption>\n")
        }
        if !expanded && !tuplesOnly {
            b.append("  <tr>\n")
            for header in headers {
                b.append("    <th align=\"center\">")
                appendHTML(header)
                b.append("</th>\n")
            }
            b.append("  </tr>\n")
        }
    }

    override func printRow(_ cells: [[UInt8]], record: Int) {
        guard !headers.isEmpty else { return }
        if expanded {
            b.append(tuplesOnly ? "\n  <tr><td colspan=\"2\">&nbsp;</td></tr>\n" : "\n  <tr><td colspan=\"2\" align=\"center\">Record \(record)</td></tr>\n")
            for (c, cell) in cells.enumerated() {
                b.append("  <tr valign=\"top\">\n    <th>")
                appendHTML(headers[c])
                b.append("</th>\n    <td align=\"\(rightAligned[c] ? "right" : "left")\">")
                appendCell(cell)
                b.append("</td>\n  </tr>\n")
            }
        } else {
            b.append("  <tr valign=\"top\">\n")
            for (c, cell) in cells.enumerated() {
                b.append("    <td align=\"\(rightAligned[c] ? "right" : "left")\">")
                appendCell(cell)
                b.append("</td>\n")
            }
            b.append("  </tr>\n")
        }
    }

    override func printEnd() {
        b.append("</table>\n")
        if !tuplesOnly, let footers = expanded ? tableFooters : footersWithDefault {
            b.append("<p>")
            for footer in footers {
                appendHTML(footer)
                b.append("<br />\n")
            }
            b.append("</p>")
        }
        b.append(RenderByte.newline)
    }
}
