/// Terminal output to plain text.
public enum ANSI {
    /// Removes escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ESC \`,
    /// DCS/SOS/PM/APC strings, two- and three-byte escapes), turns CR LF into
    /// LF, and drops every other control character but LF and TAB (CR, BEL,
    /// backspace…). An escape sequence cut off at the end is dropped too.
    public static func strip(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count)
        var i = 0
        let n = scalars.count
        while i < n {
            let c = scalars[i].value
            if c == 0x1B {  // ESC
                i += 1
                guard i < n else { break }
                let kind = scalars[i].value
                switch kind {
                case 0x5B:  // '[' CSI: parameters and intermediates, then a final byte 0x40-0x7E
                    i += 1
                    while i < n, !(0x40...0x7E).contains(scalars[i].value) { i += 1 }
                    i += 1
                case 0x5D, 0x50, 0x58, 0x5E, 0x5F:  // ']' OSC, 'P' DCS, 'X' SOS, '^' PM, '_' APC
                    i += 1
                    while i < n {
                        let v = scalars[i].value
                        if v == 0x07 { i += 1; break }
                        if v == 0x1B, i + 1 < n, scalars[i + 1].value == 0x5C { i += 2; break }
                        i += 1
                    }
                case 0x20...0x2F:  // ESC, intermediates, final: e.g. ESC ( B
                    while i < n, (0x20...0x2F).contains(scalars[i].value) { i += 1 }
                    i += 1
                default:  // ESC and one character: ESC =, ESC >, ESC 7, ESC M …
                    i += 1
                }
                continue
            }
            if c == 0x9B {  // 8-bit CSI
                i += 1
                while i < n, !(0x40...0x7E).contains(scalars[i].value) { i += 1 }
                i += 1
                continue
            }
            if c == 0x0D {  // CR: CR LF -> LF, a lone CR is dropped
                i += 1
                continue
            }
            if c < 0x20 && c != 0x0A && c != 0x09 || c == 0x7F {
                i += 1
                continue
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }
}
