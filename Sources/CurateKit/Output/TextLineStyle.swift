/// The characters an aligned table is drawn with: psql's `printTextFormat` for `\pset linestyle`
/// ascii, old-ascii or unicode (the unicode rules single or double as `unicode_*_linestyle` say).
struct TextLineStyle {
    /// One kind of line: the rule above the table, under the header, below the table, or a data line.
    struct Rule {
        let horizontal: [UInt8]
        let left: [UInt8]
        let middle: [UInt8]
        let right: [UInt8]
    }

    enum Position: Int {
        case top = 0, middle, bottom, data
    }

    let rules: [Rule]
    /// Between columns where the next column continues a value on a new line, a wrapped line, or is blank.
    let middleNewline: [UInt8]
    let middleWrap: [UInt8]
    let middleBlank: [UInt8]
    let headerNewlineLeft: [UInt8]
    let headerNewlineRight: [UInt8]
    let newlineLeft: [UInt8]
    let newlineRight: [UInt8]
    let wrapLeft: [UInt8]
    let wrapRight: [UInt8]
    /// Whether a wrap mark may take the place of the right border (all but old-ascii).
    let wrapRightBorder: Bool
    let isOldAscii: Bool

    func rule(_ position: Position) -> Rule { rules[position.rawValue] }

    /// One space, for the places where a mark or a space goes.
    static let space: [UInt8] = [RenderByte.space]

    private static func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    static let ascii: TextLineStyle = {
        let rule = Rule(horizontal: b("-"), left: b("+"), middle: b("+"), right: b("+"))
        return TextLineStyle(
            rules: [rule, rule, rule, Rule(horizontal: [], left: b("|"), middle: b("|"), right: b("|"))],
            middleNewline: b("|"), middleWrap: b("|"), middleBlank: b("|"),
            headerNewlineLeft: b(" "), headerNewlineRight: b("+"), newlineLeft: b(" "), newlineRight: b("+"),
            wrapLeft: b("."), wrapRight: b("."), wrapRightBorder: true, isOldAscii: false
        )
    }()

    static let oldAscii: TextLineStyle = {
        let rule = Rule(horizontal: b("-"), left: b("+"), middle: b("+"), right: b("+"))
        return TextLineStyle(
            rules: [rule, rule, rule, Rule(horizontal: [], left: b("|"), middle: b("|"), right: b("|"))],
            middleNewline: b(":"), middleWrap: b(";"), middleBlank: b(" "),
            headerNewlineLeft: b("+"), headerNewlineRight: b(" "), newlineLeft: b(" "), newlineRight: b(" "),
            wrapLeft: b(" "), wrapRight: b(" "), wrapRightBorder: false, isOldAscii: true
        )
    }()

    /// psql's `refresh_utf8format`: box-drawing characters, single or double per part.
    static func unicode(border: OutputSettings.UnicodeLine, column: OutputSettings.UnicodeLine, header: OutputSettings.UnicodeLine) -> TextLineStyle {
        let bd = border == .double ? 1 : 0
        let cd = column == .double
        let hd = header == .double ? 1 : 0
        // Border: up-and-right, vertical, down-and-right, horizontal, down-and-left, up-and-left.
        let frame = border == .double
            ? ["\u{255A}", "\u{2551}", "\u{2554}", "\u{2550}", "\u{2557}", "\u{255D}"]
            : ["\u{2514}", "\u{2502}", "\u{250C}", "\u{2500}", "\u{2510}", "\u{2518}"]
        // Header rule: horizontal, vertical-and-right [by border], vertical-and-left [by border].
        let headerRule = header == .double
            ? ("\u{2550}", ["\u{255E}", "\u{2560}"], ["\u{2561}", "\u{2563}"])
            : ("\u{2500}", ["\u{251C}", "\u{255F}"], ["\u{2524}", "\u{2562}"])
        // Column: vertical, crossings [by header or border], up-and-horizontal, down-and-horizontal [by border].
        let columnVertical = cd ? "\u{2551}" : "\u{2502}"
        let crossing = cd ? ["\u{256B}", "\u{256C}"] : ["\u{253C}", "\u{256A}"]
        let up = cd ? ["\u{2568}", "\u{2569}"] : ["\u{2534}", "\u{2567}"]
        let down = cd ? ["\u{2565}", "\u{2566}"] : ["\u{252C}", "\u{2564}"]
        return TextLineStyle(
            rules: [
                Rule(horizontal: b(frame[3]), left: b(frame[2]), middle: b(down[bd]), right: b(frame[4])),
                Rule(horizontal: b(headerRule.0), left: b(headerRule.1[bd]), middle: b(crossing[hd]), right: b(headerRule.2[bd])),
                Rule(horizontal: b(frame[3]), left: b(frame[0]), middle: b(up[bd]), right: b(frame[5])),
                Rule(horizontal: [], left: b(frame[1]), middle: b(columnVertical), right: b(frame[1])),
            ],
            middleNewline: b(columnVertical), middleWrap: b(columnVertical), middleBlank: b(columnVertical),
            headerNewlineLeft: b(" "), headerNewlineRight: b("\u{21B5}"), newlineLeft: b(" "), newlineRight: b("\u{21B5}"),
            wrapLeft: b("\u{2026}"), wrapRight: b("\u{2026}"), wrapRightBorder: true, isOldAscii: false
        )
    }

    /// The style the settings choose.
    static func of(_ settings: OutputSettings) -> TextLineStyle {
        switch settings.lineStyle {
        case .ascii: return ascii
        case .oldAscii: return oldAscii
        case .unicode: return unicode(border: settings.unicodeBorder, column: settings.unicodeColumn, header: settings.unicodeHeader)
        }
    }
}
