import CurateKit

/// `-l` (`--list`): the databases, as psql 15 lists them for a server of version 15 or later
/// (its `listAllDbs` query and the title "List of databases"), then exit.
enum DatabaseList {
    static let title = "List of databases"

    /// psql's query for a server of version 15 and later (the columns differ before 15).
    static let query = """
        SELECT
          d.datname as "Name",
          pg_catalog.pg_get_userbyid(d.datdba) as "Owner",
          pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",
          d.datcollate as "Collate",
          d.datctype as "Ctype",
          d.daticulocale as "ICU Locale",
          CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Locale Provider",
          pg_catalog.array_to_string(d.datacl, E'\\n') AS "Access privileges"
        FROM pg_catalog.pg_database d
        ORDER BY 1;
        """

    /// Prints the list in the user's format and returns the exit status.
    static func print(_ shell: Shell) -> Int32 {
        guard shell.session.info.serverVersion >= 150000 else {
            shell.console.printError("curate: error: -l needs a server of version 15 or later (this one is \(shell.session.info.serverVersionString))")
            return 1
        }
        let result: QueryResult
        do {
            result = try shell.session.execute(query)
        } catch {
            shell.console.printError("curate: error: \(error)")
            return 1
        }
        // psql shows NULL as empty here whatever \pset null says.
        var settings = shell.makeContext(isInteractive: false).settings
        settings.nullDisplay = ""
        if [.aligned, .unaligned, .csv, .json].contains(settings.format) == false {
            // The other formats place the title themselves.
            settings.title = title
        } else if let text = titleText(for: result, settings: settings) {
            shell.console.print(text, newline: false)
        }
        shell.makeContext(isInteractive: false).print(result, settings: settings)
        shell.console.flush()
        return 0
    }

    /// The title as psql prints it above the table, with what separates it from the table:
    /// centred over an aligned table, alone on its line in expanded display, followed by the
    /// record separator in unaligned format (twice when expanded); none with `-t`, in csv and json.
    static func titleText(for result: QueryResult, settings: OutputSettings) -> String? {
        guard !settings.tuplesOnly else { return nil }
        switch settings.format {
        case .csv, .json, .wrapped, .html, .asciidoc, .latex, .latexLongtable, .troffMs:
            return nil
        case .unaligned:
            return title + settings.recordSeparator + (settings.expanded == .on ? settings.recordSeparator : "")
        case .aligned:
            guard settings.expanded != .on else { return title + "\n" }
            // The table's width with border 1: each column as wide as its widest line, " | "
            // between columns, a space at each end.
            let widths = result.columns.indices.map { column in
                result.rows.reduce(DisplayWidth.width(of: result.columns[column].name)) { widest, row in
                    max(widest, DisplayWidth.width(of: row[column] ?? settings.nullDisplay))
                }
            }
            let total = widths.reduce(0, +) + 3 * max(widths.count - 1, 0) + 2
            let titleWidth = DisplayWidth.width(of: title)
            guard total >= titleWidth else { return title + "\n" }
            return String(repeating: " ", count: (total - titleWidth) / 2) + title + "\n"
        }
    }
}
