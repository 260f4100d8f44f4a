/// The static HTML report (`\report --out DIR`): `index.html` with every check's latest result
/// and a plot of its findings over time, and one page per check with findings: its rows as a
/// table, each row linking to its record (the row's columns, one per line, as `\x` shows them).
/// Plain files that open from disk: no script, no file from outside the folder.
public struct HTMLReport {
    public var database: String
    public var generated: String
    public var outcomes: [CheckOutcome]
    /// Recorded runs per check, oldest first.
    public var series: [String: [SVGPlot.Point]]
    /// Rows shown per check (the count stays complete).
    public var rowLimit: Int

    public init(database: String, generated: String, outcomes: [CheckOutcome], series: [String: [SVGPlot.Point]], rowLimit: Int) {
        self.database = database
        self.generated = generated
        self.outcomes = outcomes
        self.series = series
        self.rowLimit = rowLimit
    }

    static let style = """
        body { font-family: system-ui, sans-serif; margin: 2em; color: #1f2328; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border: 1px solid #d0d7de; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        td.number { text-align: right; }
        .status-findings { color: #9a6700; } .status-failed { color: #d1242f; font-weight: bold; } .status-passed { color: #1a7f37; }
        section.check { margin-top: 2em; }
        """

    /// A file name for a check's page: its name with anything but letters, digits, - and _ replaced.
    public static func pageName(_ check: String) -> String {
        "check-" + String(check.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" }) + ".html"
    }

    /// The report's files: relative path and content.
    public func files() -> [(path: String, content: String)] {
        var files = [(path: "index.html", content: index())]
        for outcome in outcomes where outcome.status == .findings {
            files.append((Self.pageName(outcome.check.name), page(outcome)))
        }
        return files
    }

    func head(_ title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(HTMLText.escape(title))</title>
        <style>
        \(Self.style)
        </style>
        </head>
        <body>

        """
    }

    func index() -> String {
        let e = HTMLText.escape
        var html = head("curate check report: \(database)")
        html += "<h1>Check report: \(e(database))</h1>\n<p>Made \(e(generated)) by curate. \(outcomes.count) checks.</p>\n"
        html += "<table id=\"summary\">\n<tr><th>check</th><th>pack</th><th>severity</th><th>status</th><th>findings</th><th>change</th><th>runs recorded</th></tr>\n"
        for outcome in outcomes {
            let name = outcome.check.name
            let points = series[name] ?? []
            let counted = points.compactMap(\.count)
            let ran = outcome.status == .passed || outcome.status == .findings
            var change = ""
            if ran, counted.count >= 2 {
                let delta = counted[counted.count - 1] - counted[counted.count - 2]
                change = delta > 0 ? "+\(delta)" : String(delta)
            }
            let link = outcome.status == .findings ? "<a href=\"\(Self.pageName(name))\">\(e(name))</a>" : e(name)
            html += "<tr><td><a href=\"#plot-\(e(name))\">#</a> \(link)</td><td>\(e(outcome.check.pack))</td><td>\(outcome.check.severity.rawValue)</td>"
            html += "<td class=\"status-\(outcome.status.rawValue)\">\(outcome.status.rawValue)\(outcome.reason.map { ": " + e($0) } ?? "")</td>"
            html += "<td class=\"number\">\(ran ? String(outcome.count) : "")</td><td class=\"number\">\(change)</td><td class=\"number\">\(points.count)</td></tr>\n"
        }
        html += "</table>\n<h2>Findings over time</h2>\n"
        for outcome in outcomes {
            let name = outcome.check.name
            html += "<section class=\"check\" id=\"plot-\(e(name))\">\n<h3>\(e(name)) <small>(\(e(outcome.check.pack)), \(outcome.check.severity.rawValue))</small></h3>\n"
            html += "<p>\(e(outcome.check.description))</p>\n"
            html += SVGPlot.svg(check: name, points: series[name] ?? []) + "\n</section>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    func page(_ outcome: CheckOutcome) -> String {
        let e = HTMLText.escape
        let name = outcome.check.name
        var html = head("\(name): findings in \(database)")
        html += "<p><a href=\"index.html\">All checks</a></p>\n"
        html += "<h1>\(e(name)) <small>(\(e(outcome.check.pack)), \(outcome.check.severity.rawValue))</small></h1>\n"
        html += "<p>\(e(outcome.check.description))</p>\n"
        let shown = outcome.rows.prefix(rowLimit)
        html += "<p>\(outcome.count) row\(outcome.count == 1 ? "" : "s")" + (shown.count < outcome.count ? ", the first \(shown.count) shown" : "") + ".</p>\n"
        html += "<table class=\"findings\">\n<tr><th>row</th>" + outcome.columns.map { "<th>\(e($0.name))</th>" }.joined() + "</tr>\n"
        for (index, row) in shown.enumerated() {
            html += "<tr><td><a href=\"#row-\(index + 1)\">\(index + 1)</a></td>"
            html += row.map { value in value.map { "<td>\(e($0))</td>" } ?? "<td class=\"null\"></td>" }.joined() + "</tr>\n"
        }
        html += "</table>\n<h2>Rows</h2>\n"
        for (index, row) in shown.enumerated() {
            html += "<table class=\"record\" id=\"row-\(index + 1)\">\n<tr><th colspan=\"2\">row \(index + 1)</th></tr>\n"
            for (column, value) in zip(outcome.columns, row) {
                html += "<tr><th>\(e(column.name))</th><td>\(value.map(e) ?? "")</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }
}
