/// ANSI escape sequences for the few styles curate uses. Used only when colour is on: at a
/// terminal, without `NO_COLOR`, not with `TERM=dumb`, and unless `\set COLOR off`.
package enum TerminalStyle {
    /// Bold (column headers).
    package static let bold: [UInt8] = Array("\u{1B}[1m".utf8)
    /// Dim (NULL values).
    package static let dim: [UInt8] = Array("\u{1B}[2m".utf8)
    /// Red (errors).
    package static let red: [UInt8] = Array("\u{1B}[31m".utf8)
    /// Yellow (warnings).
    package static let yellow: [UInt8] = Array("\u{1B}[33m".utf8)
    /// Back to the terminal's normal style.
    package static let reset: [UInt8] = Array("\u{1B}[0m".utf8)

    /// Whether the environment allows colour at all: not with `NO_COLOR` set to anything but the
    /// empty string (no-color.org), and not on a terminal that says it has no escapes (`TERM=dumb`).
    package static func environmentAllowsColor(_ environment: [String: String]) -> Bool {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    /// `text` wrapped in `style` and a reset.
    package static func apply(_ style: [UInt8], to text: String) -> String {
        String(decoding: style, as: UTF8.self) + text + String(decoding: reset, as: UTF8.self)
    }
}
