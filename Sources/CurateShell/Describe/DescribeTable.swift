import CurateKit

extension Shell {
    /// psql's `printTable` for a table a describe command assembled itself (`\d NAME`, `\du`'s
    /// attributes, `\dRp+`): text columns, left-aligned, under `title`. `footers`: nil for the
    /// `(N rows)` footer, otherwise these lines in its place (none: no footer at all, psql's
    /// `default_footer = false`). `expandedAllowed` false: never expanded (psql turns it off for
    /// `\d NAME`: "This output looks confusing in expanded mode").
    func printDescribedRows(
        columns: [String], rows: [[String]], title: String, footers: [String]? = nil, expandedAllowed: Bool = true
    ) {
        let context = makeContext(isInteractive: isInteractive)
        var settings = context.settings
        settings.title = title
        settings.tableFooters = footers
        if !expandedAllowed { settings.expanded = .off }
        context.printTable(columns: columns, rows: rows.map { $0.map { Optional($0) } }, settings: settings)
        console.flush()
    }
}
