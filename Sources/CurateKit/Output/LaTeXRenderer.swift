/// psql's latex and latex-longtable formats (`print_latex_text`, `print_latex_longtable_text`,
/// and for both `print_latex_vertical` in expanded display).
///
/// latex: a `tabular` after the title in a `center` environment, the footers after `\noindent`;
/// border 3 draws a rule under every row. latex-longtable: a `longtable` whose title is its
/// caption and whose left-aligned columns take widths from `\pset tableattr` (`0.2 0.3`, in
/// fractions of `\textwidth`); it prints no footers.
final class LaTeXRenderer: DocumentRenderer {
    private let longtable: Bool

    init(settings: OutputSettings, writer: OutputWriter, longtable: Bool) {
        self.longtable = longtable
        super.init(settings: settings, writer: writer)
    }

    /// The border: latex tables know 0–3, expanded ones 0–2.
    private var border: Int {
        let limit = expanded ? 2 : 3
        return settings.border > limit || settings.border < 0 ? limit : settings.border
    }

    /// psql's `latex_escaped_print`.
    private static let escapes = escapeTable([
        UInt8(ascii: "#"): "\\#", UInt8(ascii: "$"): "\\$", UInt8(ascii: "%"): "\\%", UInt8(ascii: "&"): "\\&",
        UInt8(ascii: "<"): "\\textless{}", UInt8(ascii: ">"): "\\textgreater{}", UInt8(ascii: "\\"): "\\textbackslash{}",
        UInt8(ascii: "^"): "\\^{}", UInt8(ascii: "_"): "\\_", UInt8(ascii: "{"): "\\{", UInt8(ascii: "|"): "\\textbar{}",
        UInt8(ascii: "}"): "\\}", UInt8(ascii: "~"): "\\~{}",
        // Not right, says psql, but doing it right seems too hard.
        RenderByte.newline: "\\\\",
    ])

    func appendLaTeX(_ text: [UInt8]) {
        appendEscaped(text, Self.escapes)
    }

    private func appendCentredTitle() {
        guard let title else { return }
        b.append("\\begin{center}\n")
        appendLaTeX(title)
        b.append("\n\\end{center}\n\n")
    }

    override func printStart() {
        if expanded {
            appendCentredTitle()
            b.append("\\begin{tabular}{")
            b.append(border == 0 ? "cl" : border == 1 ? "c|l" : "|c|l|")
            b.append("}\n")
        } else if longtable {
            printLongtableStart()
        } else {
            appendCentredTitle()
            b.append("\\begin{tabular}{")
            if border >= 2 { b.append("| ") }
            b.append(rightAligned.map { $0 ? "r" : "l" }.joined(separator: border != 0 ? " | " : ""))
            if border >= 2 { b.append(" |") }
            b.append("}\n")
            if !tuplesOnly && border >= 2 { b.append("\\hline\n") }
            if !tuplesOnly {
                for (c, header) in headers.enumerated() {
                    if c > 0 { b.append(" & ") }
                    b.append("\\textit{")
                    appendLaTeX(header)
                    b.append("}")
                }
                b.append(" \\\\\n\\hline\n")
            }
        }
    }

    private func printLongtableStart() {
        b.append("\\begin{longtable}{")
        if border >= 2 { b.append("| ") }
        // Each left-aligned column takes the next width of tableattr (the last one again when
        // they run out); right-aligned ones keep `r`.
        let widths = settings.tableAttributes.map {
            $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        }
        var nextWidth = 0
        var lastWidth: String? = nil
        for c in headers.indices {
            if !rightAligned[c], let widths {
                if nextWidth < widths.count {
                    lastWidth = widths[nextWidth]
                    nextWidth += 1
                }
                if let lastWidth { b.append("p{\(lastWidth)\\textwidth}") } else { b.append("l") }
            } else {
                b.append(rightAligned[c] ? "r" : "l")
            }
            if border != 0 && c < headers.count - 1 { b.append(" | ") }
        }
        if border >= 2 { b.append(" |") }
        b.append("}\n")
        guard !tuplesOnly else { return }
        for head in 0..<2 {
            if border >= 2 { b.append("\\toprule\n") }
            for (c, header) in headers.enumerated() {
                if c > 0 { b.append(" & ") }
                b.append("\\small\\textbf{\\textit{")
                appendLaTeX(header)
                b.append("}}")
            }
            b.append(" \\\\\n")
            if head == 0 {
                b.append("\\midrule\n\\endfirsthead\n")
            } else {
                if border != 3 { b.append("\\midrule\n") }
                b.append("\\endhead\n")
            }
        }
        if let title {
            if border == 2 { b.append("\\bottomrule\n") }
            b.append("\\caption[")
            appendLaTeX(title)
            b.append(" (Continued)]{")
            appendLaTeX(title)
            b.append("}\n\\endfoot\n")
            if border == 2 { b.append("\\bottomrule\n") }
            b.append("\\caption[")
            appendLaTeX(title)
            b.append("]{")
            appendLaTeX(title)
            b.append("}\n\\endlastfoot\n")
        } else if border >= 2 {
            b.append("\\bottomrule\n\\endfoot\n\\bottomrule\n\\endlastfoot\n")
        }
    }

    override func printRow(_ cells: [[UInt8]], record: Int) {
        guard !headers.isEmpty else { return }
        if expanded {
            if !tuplesOnly {
                if border == 2 {
                    b.append("\\hline\n\\multicolumn{2}{|c|}{\\textit{Record \(record)}} \\\\\n")
                } else {
                    b.append("\\multicolumn{2}{c}{\\textit{Record \(record)}} \\\\\n")
                }
            }
            if border >= 1 { b.append("\\hline\n") }
            for (c, cell) in cells.enumerated() {
                appendLaTeX(headers[c])
                b.append(" & ")
                appendLaTeX(cell)
                b.append(" \\\\\n")
            }
        } else if longtable {
            for (c, cell) in cells.enumerated() {
                if c != 0 { b.append("\n&\n") }
                b.append("\\raggedright{")
                appendLaTeX(cell)
                b.append("}")
            }
            b.append(" \\tabularnewline\n")
            if border == 3 { b.append(" \\hline\n") }
        } else {
            for (c, cell) in cells.enumerated() {
                appendLaTeX(cell)
                b.append(c == cells.count - 1 ? " \\\\\n" : " & ")
            }
            if border == 3 { b.append("\\hline\n") }
        }
    }

    override func printEnd() {
        if longtable && !expanded {
            b.append("\\end{longtable}\n")
            return
        }
        if border == 2 { b.append("\\hline\n") }
        b.append("\\end{tabular}\n\n\\noindent ")
        if !tuplesOnly, let footers = expanded ? tableFooters : footersWithDefault {
            for footer in footers {
                appendLaTeX(footer)
                b.append(" \\\\\n")
            }
        }
        b.append(RenderByte.newline)
    }
}
