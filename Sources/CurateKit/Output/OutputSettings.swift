/// How results are printed: the user's choice, changed by `--csv`, `\pset`, `\x` and friends.
public struct OutputSettings: Sendable, Equatable {
    /// The output format (`\pset format`, `--csv`, `--json`, `-A`).
    public enum Format: String, Sendable, CaseIterable {
        /// psql's aligned table (the default), unaligned (`-A`), csv (`--csv`), or curate's json (`--json`).
        case aligned, unaligned, csv, json
    }

    /// One line per column instead of one per row (`\x`).
    public enum Expanded: String, Sendable, CaseIterable {
        /// Never, always, or when a result is wider than the terminal (`\x auto`).
        case off, on, auto
    }

    /// The format results are printed in.
    public var format: Format = .aligned
    /// Expanded display (`\x`).
    public var expanded: Expanded = .off
    /// `-t`: no header and no footer.
    public var tuplesOnly: Bool = false
    /// Text shown for NULL (`\pset null`).
    public var nullDisplay: String = ""
    /// Separator between fields in unaligned format (`\pset fieldsep`).
    public var fieldSeparator: String = "|"
    /// Separator between records in unaligned format (`\pset recordsep`, `-R`); `"\0"` is psql's
    /// `recordsep_zero` (`-0`), which also ends the output with a zero byte instead of a newline.
    public var recordSeparator: String = "\n"
    /// Separator between fields in csv format (`\pset csv_fieldsep`).
    public var csvFieldSeparator: Character = ","
    /// A line above each table (`\C`, `\pset title`); nil for none.
    public var title: String? = nil
    /// The `(N rows)` footer (`\pset footer`).
    public var footer: Bool = true
    /// Lines printed under the table in place of the `(N rows)` footer, whatever `footer` says
    /// (psql's table footers: the indexes and constraints under `\d NAME`); nil for the default.
    public var tableFooters: [String]? = nil
    /// psql's QUIET: no command status lines (`INSERT 0 1`, `CREATE TABLE`).
    public var quiet: Bool = false
    /// Terminal width for `\x auto`; nil when output is not a terminal.
    public var terminalWidth: Int? = nil
    /// Headers bold and NULLs dimmed (aligned and expanded formats, at a terminal only).
    public var color: Bool = false
    /// Rows per batch of aligned output, each batch sized on its own rows, as psql prints a
    /// query it fetches through a cursor (its FETCH_COUNT); 0: curate's own batches of 1000.
    public var fetchCount: Int = 0

    /// psql's defaults: aligned, not expanded, headers and footer, NULL as empty.
    public init() {}
}
