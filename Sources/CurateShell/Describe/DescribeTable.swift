import CurateKit

extension Shell {
    /// psql's `printTable` for a describe command that builds its cells itself (`\du` turns role
    /// flags into an attributes text, `\dRp+` prints one table per publication): text columns,
    /// left-aligned, under `title`. `footers` replace the `(N rows)` footer when not empty;
    /// `defaultFooter` false leaves the `(N rows)` footer out altogether (psql's
    /// `default_footer = false`), as `\pset footer off` does.
    func printDescribedRows(
        columns: [String], rows: [[String]], title: String, footers: [String] = [], defaultFooter: Bool = true
    ) {
        let context = makeContext(isInteractive: isInteractive)
        var settings = context.settings
        settings.title = title
        if !footers.isEmpty { settings.tableFooters = footers }
        if !defaultFooter { settings.footer = false }
        context.printTable(columns: columns, rows: rows.map { $0.map { Optional($0) } }, settings: settings)
        console.flush()
    }
}
