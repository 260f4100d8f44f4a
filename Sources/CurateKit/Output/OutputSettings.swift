/// How results are printed: the user's choice, changed by `--csv`, `\pset`, `\x` and friends.
public struct OutputSettings: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case aligned, unaligned, csv, json
    }

    public enum Expanded: String, Sendable, CaseIterable {
        case off, on, auto
    }

    public var format: Format = .aligned
    public var expanded: Expanded = .off
    /// `-t`: no header and no footer.
    public var tuplesOnly: Bool = false
    /// Text shown for NULL (`\pset null`).
    public var nullDisplay: String = ""
    /// Separator between fields in unaligned format (`\pset fieldsep`).
    public var fieldSeparator: String = "|"
    /// Separator between fields in csv format (`\pset csv_fieldsep`).
    public var csvFieldSeparator: Character = ","
    /// The `(N rows)` footer (`\pset footer`).
    public var footer: Bool = true
    /// Terminal width for `\x auto`; nil when output is not a terminal.
    public var terminalWidth: Int? = nil
    /// Headers bold and NULLs dimmed (aligned and expanded formats, at a terminal only).
    public var color: Bool = false

    public init() {}
}
