/// psql's html format (`\pset format html`, `\H`, `-H`; `print_html_text` and
/// `print_html_vertical`): a `<table>` with `border="N"` and `\pset tableattr`, the title as its
/// caption, the footers in a `<p>` after it.
final class HTMLRenderer: DocumentRenderer {
    override init(settings: OutputSettings, writer: OutputWriter) {
        super.init(settings: settings, writer: writer)
        out.htmlStatus = true
    }

    private static let escapes = escapeTable([
        UInt8(ascii: "&"): "&amp;", UInt8(ascii: "<"): "&lt;", UInt8(ascii: ">"): "&gt;",
        RenderByte.newline: "<br />\n", RenderByte.quote: "&quot;",
    ])
    private static let nonBreakingSpace = Array("&nbsp;".utf8)
    /// Per column, the opening of its cells: `<td align="right">` or `left`.
    private var cellOpenings: [[UInt8]] = []

    /// psql's `html_escaped_print`: markup characters as entities, newlines as `<br />`, leading
    /// spaces as `&nbsp;`.
    private func appendHTML(_ text: [UInt8]) {
        var leading = 0
        while leading < text.count && text[leading] == RenderByte.space {
            b.append(Self.nonBreakingSpace)
            leading += 1
        }
        appendEscaped(leading == 0 ? text : Array(text[leading...]), Self.escapes)
    }

    private func appendCell(_ cell: [UInt8]) {
        if Self.isBlank(cell) { b.append("&nbsp; ") } else { appendHTML(cell) }
    }

    override func printStart() {
        cellOpenings = rightAligned.map { Array("    <td align=\"\($0 ? "right" : "left")\">".utf8) }
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
                b.append("</th>\n")
                b.append(cellOpenings[c])
                appendCell(cell)
                b.append("</td>\n  </tr>\n")
            }
        } else {
            b.append("  <tr valign=\"top\">\n")
            for (c, cell) in cells.enumerated() {
                b.append(cellOpenings[c])
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

extension String {
    /// The text as psql's `html_escaped_print` writes it (for command tags in the html format).
    func replacingHTMLSpecials() -> String {
        var result = ""
        var leadingSpace = true
        for character in unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\n": result += "<br />\n"
            case "\"": result += "&quot;"
            case " ": result += leadingSpace ? "&nbsp;" : " "
            default: result.unicodeScalars.append(character)
            }
            if character != " " { leadingSpace = false }
        }
        return result
    }
}
