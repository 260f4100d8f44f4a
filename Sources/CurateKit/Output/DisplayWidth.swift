import CLibPQ

/// Terminal display width of UTF-8 text by psql's rules.
///
/// psql measures and lays out every cell with `pg_wcssize`/`pg_wcsformat` (fe_utils/mbprint.c) on
/// top of libpq's `PQmblen`/`PQdsplen` for UTF-8, after dropping invalid sequences with
/// `mbvalidate`. This is a byte-for-byte port of those rules:
///
/// - control characters (U+0001–U+001F, U+007F–U+009F) have no width of their own; the formatter
///   shows them as `\xNN` (4 columns; ASCII) or `\uNNNN` (6 columns; U+0080–U+009F);
/// - `\r` is shown as the two characters `\r`; a tab advances to the next multiple of 8 columns
///   and is shown as spaces; `\n` starts a new line;
/// - combining and other zero-width characters count 0, East Asian wide and fullwidth characters 2,
///   everything else 1.
///
/// The width of each non-ASCII character is libpq's `PQdsplen`, from the same libpq psql uses.
package enum DisplayWidth {
    /// A cell's size as `pg_wcssize` reports it.
    struct Size: Equatable {
        /// Display width of the longest line.
        var width: Int
        /// Number of lines (1 + the number of newlines).
        var height: Int
        /// Whether the cell must go through `format` (it has a newline, tab, CR or control
        /// character); when false the bytes are printed as they are.
        var needsFormatting: Bool
    }

    /// One line of `format`'s output: a byte range of the buffer it wrote to, and its width.
    struct Line {
        var start: Int
        var length: Int
        var width: Int
    }

    /// libpq's own `PQdsplen` for the UTF-8 character at `p` (psql's `ucs_wcwidth`): -1 for
    /// control characters, 0 for zero-width ones, 2 for wide ones, else 1. Asked of the libpq
    /// psql itself uses, so the widths follow its Unicode tables without a copy of them here.
    /// `p` must hold the whole sequence its lead byte announces.
    @inline(__always)
    static func width(ofCharacterAt p: UnsafePointer<UInt8>) -> Int {
        Int(p.withMemoryRebound(to: CChar.self, capacity: 4) { PQdsplen($0, utf8Encoding) })
    }

    /// libpq's number for UTF-8 (`PG_UTF8`).
    static let utf8Encoding = pg_char_to_encoding("UTF8")

    /// libpq's `pg_utf_mblen`: the sequence length announced by a lead byte (1 for stray bytes).
    @inline(__always)
    static func sequenceLength(lead: UInt8) -> Int {
        if lead & 0x80 == 0 { return 1 }
        if lead & 0xE0 == 0xC0 { return 2 }
        if lead & 0xF0 == 0xE0 { return 3 }
        if lead & 0xF8 == 0xF0 { return 4 }
        return 1
    }

    /// libpq's `utf8_to_unicode` for a sequence of `length` bytes (no validity checks).
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, length: Int) -> UInt32 {
        let c0 = UInt32(p[0])
        switch length {
        case 1:
            return c0 & 0x80 == 0 ? c0 : 0xFFFF_FFFF
        case 2:
            return ((c0 & 0x1F) << 6) | (UInt32(p[1]) & 0x3F)
        case 3:
            return ((c0 & 0x0F) << 12) | ((UInt32(p[1]) & 0x3F) << 6) | (UInt32(p[2]) & 0x3F)
        default:
            return ((c0 & 0x07) << 18) | ((UInt32(p[1]) & 0x3F) << 12)
                | ((UInt32(p[2]) & 0x3F) << 6) | (UInt32(p[3]) & 0x3F)
        }
    }

    /// psql's `utf_charcheck` (mbprint.c), including its quirks: the length of the valid character
    /// at `p`, or -1. Bytes past `remaining` read as NUL, as past the end of a C string.
    @inline(__always)
    static func validCharacterLength(_ p: UnsafePointer<UInt8>, remaining: Int) -> Int {
        let c0 = p[0]
        if c0 & 0x80 == 0 { return 1 }
        let c1: UInt8 = remaining > 1 ? p[1] : 0
        if c0 & 0xE0 == 0xC0 {
            return (c1 & 0xC0 == 0x80) && (c0 & 0x1F) > 0x01 ? 2 : -1
        }
        let c2: UInt8 = remaining > 2 ? p[2] : 0
        if c0 & 0xF0 == 0xE0 {
            guard c1 & 0xC0 == 0x80, (c0 & 0x0F) != 0 || (c1 & 0x20) == 0x20, c2 & 0xC0 == 0x80 else { return -1 }
            let z = Int(c0 & 0x0F)
            let yx = (Int(c1 & 0x3F) << 6) | Int(c0 & 0x3F)
            let lx = yx & 0x7F
            if (z == 0x0F && ((yx & 0xFFE) == 0xFFE || ((yx & 0xF80) == 0xD80 && lx >= 0x30 && lx <= 0x4F)))
                || (z == 0x0D && (yx & 0xB00) == 0x800) {
                return -1
            }
            return 3
        }
        if c0 & 0xF8 == 0xF0 {
            let c3: UInt8 = remaining > 3 ? p[3] : 0
            let u = (Int(c0 & 0x07) << 2) | Int((c1 & 0x30) >> 4)
            guard c1 & 0xC0 == 0x80, u > 0, u <= 0x10, c2 & 0xC0 == 0x80, c3 & 0xC0 == 0x80 else { return -1 }
            if c1 & 0x0F == 0x0F && c2 & 0x3F == 0x3F && c3 & 0x3E == 0x3E { return -1 }
            return 4
        }
        return -1
    }

    /// Whether psql's `mbvalidate` would leave these bytes unchanged.
    static func isValid(_ p: UnsafePointer<UInt8>, count: Int) -> Bool {
        var i = 0
        while i < count {
            if p[i] < 0x80 { i += 1; continue }
            let n = validCharacterLength(p + i, remaining: count - i)
            if n < 0 { return false }
            i += n
        }
        return true
    }

    /// psql's `mbvalidate` for UTF-8, in place: drops every byte that does not start a valid
    /// character (so a broken sequence disappears whole). Returns the new length.
    /// (`package`: the fuzzing entry points check the renderers' output against it.)
    package static func dropInvalidSequences(_ p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var read = 0
        var write = 0
        while read < count {
            let n = p[read] < 0x80 ? 1 : validCharacterLength(p + read, remaining: count - read)
            if n > 0 {
                if write != read {
                    for k in 0..<n { p[write + k] = p[read + k] }
                }
                read += n
                write += n
            } else {
                read += 1
            }
        }
        return write
    }

    /// Whether every byte is printable ASCII (0x20...0x7E): then width == count and the bytes
    /// print as they are. Eight bytes at a time.
    @inline(__always)
    static func isPrintableASCII(_ p: UnsafePointer<UInt8>, count: Int) -> Bool {
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= count {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // A byte < 0x20 borrows (high bit of x - 0x20), 0x7F carries (x + 1), >= 0x80 has it set.
            if (x | (x &- 0x2020_2020_2020_2020) | (x &+ 0x0101_0101_0101_0101)) & 0x8080_8080_8080_8080 != 0 {
                return false
            }
            i += 8
        }
        while i < count {
            if p[i] &- 0x20 >= 0x5F { return false }
            i += 1
        }
        return true
    }

    /// psql's `pg_wcssize`.
    static func measure(_ p: UnsafePointer<UInt8>, count: Int) -> Size {
        var width = 0
        var height = 1
        var lineWidth = 0
        var needsFormatting = false
        var i = 0
        while i < count {
            let c = p[i]
            if c == 0 { break }
            let length = sequenceLength(lead: c)
            if count - i < length { break }
            if length == 1 {
                if c == RenderByte.newline {
                    if lineWidth > width { width = lineWidth }
                    lineWidth = 0
                    height += 1
                    needsFormatting = true
                } else if c == RenderByte.carriageReturn {
                    lineWidth += 2
                    needsFormatting = true
                } else if c == RenderByte.tab {
                    repeat { lineWidth += 1 } while lineWidth % 8 != 0
                    needsFormatting = true
                } else if c < 0x20 || c >= 0x7F {
                    lineWidth += 4
                    needsFormatting = true
                } else {
                    lineWidth += 1
                }
            } else {
                let w = DisplayWidth.width(ofCharacterAt: p + i)
                if w < 0 {
                    lineWidth += 6
                    needsFormatting = true
                } else {
                    lineWidth += w
                }
            }
            i += length
        }
        if lineWidth > width { width = lineWidth }
        return Size(width: width, height: height, needsFormatting: needsFormatting)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// psql's `pg_wcsformat`: appends the printable form of the bytes to `buffer` and one entry per
    /// line to `lines` (which it does not clear).
    static func format(_ p: UnsafePointer<UInt8>, count: Int, into buffer: RenderBuffer, lines: inout [Line]) {
        var lineStart = buffer.count
        var lineWidth = 0
        var i = 0
        while i < count {
            let c = p[i]
            if c == 0 { break }
            let length = sequenceLength(lead: c)
            if count - i < length { break }
            if length == 1 {
                if c == RenderByte.newline {
                    lines.append(Line(start: lineStart, length: buffer.count - lineStart, width: lineWidth))
                    lineStart = buffer.count
                    lineWidth = 0
                } else if c == RenderByte.carriageReturn {
                    buffer.append(RenderByte.backslash)
                    buffer.append(0x72)  // r
                    lineWidth += 2
                } else if c == RenderByte.tab {
                    repeat {
                        buffer.append(RenderByte.space)
                        lineWidth += 1
                    } while lineWidth % 8 != 0
                } else if c < 0x20 || c >= 0x7F {
                    buffer.append(RenderByte.backslash)
                    buffer.append(0x78)  // x
                    buffer.append(hexDigits[Int(c >> 4)])
                    buffer.append(hexDigits[Int(c & 0x0F)])
                    lineWidth += 4
                } else {
                    buffer.append(c)
                    lineWidth += 1
                }
            } else {
                let w = width(ofCharacterAt: p + i)
                if w < 0 {
                    let cp = decode(p + i, length: length)
                    buffer.append(RenderByte.backslash)
                    buffer.append(0x75)  // u
                    for shift in stride(from: 12, through: 0, by: -4) {
                        buffer.append(hexDigits[Int((cp >> UInt32(shift)) & 0x0F)])
                    }
                    lineWidth += 6
                } else {
                    buffer.append(UnsafeRawBufferPointer(start: p + i, count: length))
                    lineWidth += w
                }
            }
            i += length
        }
        lines.append(Line(start: lineStart, length: buffer.count - lineStart, width: lineWidth))
    }

    /// The display width of the longest line of `text` as psql lays it out.
    package static func width(of text: String) -> Int {
        let bytes = PsqlText.validatedBytes(text)
        return bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return 0 }
            return measure(base, count: b.count).width
        }
    }
}
