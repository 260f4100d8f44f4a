/// How results are printed: the user's choice, changed by `--csv`, `\pset`, `\x` and friends.
public struct OutputSettings: Sendable, Equatable {
    /// The output format (`\pset format`, `--csv`, `--json`, `-A`).
    public enum Format: String, Sendable, CaseIterable {
        /// psql's aligned table (the default), unaligned (`-A`), csv (`--csv`), or curate's json (`--json`).
        case aligned, unaligned, csv, json
        /// psql's aligned table with long values wrapped to the target width (`\pset columns`).
        case wrapped
        /// psql's document formats (`-H` or `\H` for html).
        case html, asciidoc, latex
        case latexLongtable = "latex-longtable"
        case troffMs = "troff-ms"
    }

    /// The characters aligned tables are drawn with (`\pset linestyle`).
    public enum LineStyle: String, Sendable, CaseIterable {
        case ascii
        case oldAscii = "old-ascii"
        case unicode
    }

    /// A unicode rule drawn single or double (`\pset unicode_*_linestyle`).
    public enum UnicodeLine: String, Sendable, CaseIterable {
        case single, double
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

    /// The table's own footer lines when it has any: an empty `tableFooters` is psql's table
    /// without footers and without the default one, under which an expanded table prints not
    /// even the empty line that leads footers.
    var ownFooters: [String]? { tableFooters?.isEmpty == false ? tableFooters : nil }
    /// `\pset border`: 0 (none), 1 (between columns, the default), 2 (a frame); 3 adds rules
    /// between rows in latex. Any integer is kept, as psql's `atoi`; each format clamps it.
    public var border: Int = 1
    /// `\pset linestyle`.
    public var lineStyle: LineStyle = .ascii
    /// `\pset unicode_border_linestyle`, `unicode_column_linestyle`, `unicode_header_linestyle`.
    public var unicodeBorder: UnicodeLine = .single
    public var unicodeColumn: UnicodeLine = .single
    public var unicodeHeader: UnicodeLine = .single
    /// `\pset columns`: the target width of the wrapped format and of `\x auto`; 0 for the terminal's.
    public var columns: Int = 0
    /// `\pset numericlocale`: digits of numbers grouped as the locale groups them.
    public var numericLocale: Bool = false
    /// `\pset tableattr` (`\T`, `-T`): html table attributes, latex-longtable column widths.
    public var tableAttributes: String? = nil
    /// `\pset pager_min_lines`: the pager waits for at least this many lines.
    public var pagerMinLines: Int = 0
    /// psql's SHOW_ALL_RESULTS: off prints only the last result of a query string holding several
    /// statements (`SELECT 1 \; SELECT 2`).
    public var showsAllResults: Bool = true
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
