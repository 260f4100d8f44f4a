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
/// The width tables are libpq 15's (`PQdsplen` evaluated for every code point of libpq 15.18, the
/// library psql 15 uses here), stored as sorted inclusive ranges.
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

    /// psql's `ucs_wcwidth`: -1 for control characters, 0 for zero-width ones, 2 for wide ones, else 1.
    package static func width(ofScalar cp: UInt32) -> Int {
        if cp < 0x20 { return cp == 0 ? 0 : -1 }
        if cp < 0x7F { return 1 }
        if cp < 0xA0 { return -1 }
        if cp < 0x300 { return 1 }
        if cp > 0x10FFFF { return -1 }
        if inRanges(cp, zeroWidthRanges) { return 0 }
        if inRanges(cp, wideRanges) { return 2 }
        return 1
    }

    private static func inRanges(_ cp: UInt32, _ ranges: [UInt32]) -> Bool {
        ranges.withUnsafeBufferPointer { r in
            var low = 0
            var high = r.count / 2 - 1
            if cp < r[0] || cp > r[r.count - 1] { return false }
            while low <= high {
                let mid = (low + high) / 2
                if cp > r[2 * mid + 1] {
                    low = mid + 1
                } else if cp < r[2 * mid] {
                    high = mid - 1
                } else {
                    return true
                }
            }
            return false
        }
    }

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
                let w = DisplayWidth.width(ofScalar: decode(p + i, length: length))
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
                let cp = decode(p + i, length: length)
                let w = width(ofScalar: cp)
                if w < 0 {
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

    // MARK: Tables (generated from libpq 15.18's PQdsplen; inclusive ranges, pairs of code points)

    static let zeroWidthRanges: [UInt32] = [
        0x00300, 0x0036F, 0x00483, 0x00489, 0x00591, 0x005BD, 0x005BF, 0x005BF, 0x005C1, 0x005C2,
        0x005C4, 0x005C5, 0x005C7, 0x005C7, 0x00610, 0x0061A, 0x0064B, 0x0065F, 0x00670, 0x00670,
        0x006D6, 0x006DC, 0x006DF, 0x006E4, 0x006E7, 0x006E8, 0x006EA, 0x006ED, 0x00711, 0x00711,
        0x00730, 0x0074A, 0x007A6, 0x007B0, 0x007EB, 0x007F3, 0x007FD, 0x007FD, 0x00816, 0x00819,
        0x0081B, 0x00823, 0x00825, 0x00827, 0x00829, 0x0082D, 0x00859, 0x0085B, 0x00898, 0x0089F,
        0x008CA, 0x008E1, 0x008E3, 0x00902, 0x0093A, 0x0093A, 0x0093C, 0x0093C, 0x00941, 0x00948,
        0x0094D, 0x0094D, 0x00951, 0x00957, 0x00962, 0x00963, 0x00981, 0x00981, 0x009BC, 0x009BC,
        0x009C1, 0x009C4, 0x009CD, 0x009CD, 0x009E2, 0x009E3, 0x009FE, 0x00A02, 0x00A3C, 0x00A3C,
        0x00A41, 0x00A51, 0x00A70, 0x00A71, 0x00A75, 0x00A75, 0x00A81, 0x00A82, 0x00ABC, 0x00ABC,
        0x00AC1, 0x00AC8, 0x00ACD, 0x00ACD, 0x00AE2, 0x00AE3, 0x00AFA, 0x00B01, 0x00B3C, 0x00B3C,
        0x00B3F, 0x00B3F, 0x00B41, 0x00B44, 0x00B4D, 0x00B56, 0x00B62, 0x00B63, 0x00B82, 0x00B82,
        0x00BC0, 0x00BC0, 0x00BCD, 0x00BCD, 0x00C00, 0x00C00, 0x00C04, 0x00C04, 0x00C3C, 0x00C3C,
        0x00C3E, 0x00C40, 0x00C46, 0x00C56, 0x00C62, 0x00C63, 0x00C81, 0x00C81, 0x00CBC, 0x00CBC,
        0x00CBF, 0x00CBF, 0x00CC6, 0x00CC6, 0x00CCC, 0x00CCD, 0x00CE2, 0x00CE3, 0x00D00, 0x00D01,
        0x00D3B, 0x00D3C, 0x00D41, 0x00D44, 0x00D4D, 0x00D4D, 0x00D62, 0x00D63, 0x00D81, 0x00D81,
        0x00DCA, 0x00DCA, 0x00DD2, 0x00DD6, 0x00E31, 0x00E31, 0x00E34, 0x00E3A, 0x00E47, 0x00E4E,
        0x00EB1, 0x00EB1, 0x00EB4, 0x00EBC, 0x00EC8, 0x00ECD, 0x00F18, 0x00F19, 0x00F35, 0x00F35,
        0x00F37, 0x00F37, 0x00F39, 0x00F39, 0x00F71, 0x00F7E, 0x00F80, 0x00F84, 0x00F86, 0x00F87,
        0x00F8D, 0x00FBC, 0x00FC6, 0x00FC6, 0x0102D, 0x01030, 0x01032, 0x01037, 0x01039, 0x0103A,
        0x0103D, 0x0103E, 0x01058, 0x01059, 0x0105E, 0x01060, 0x01071, 0x01074, 0x01082, 0x01082,
        0x01085, 0x01086, 0x0108D, 0x0108D, 0x0109D, 0x0109D, 0x0135D, 0x0135F, 0x01712, 0x01714,
        0x01732, 0x01733, 0x01752, 0x01753, 0x01772, 0x01773, 0x017B4, 0x017B5, 0x017B7, 0x017BD,
        0x017C6, 0x017C6, 0x017C9, 0x017D3, 0x017DD, 0x017DD, 0x0180B, 0x0180D, 0x0180F, 0x0180F,
        0x01885, 0x01886, 0x018A9, 0x018A9, 0x01920, 0x01922, 0x01927, 0x01928, 0x01932, 0x01932,
        0x01939, 0x0193B, 0x01A17, 0x01A18, 0x01A1B, 0x01A1B, 0x01A56, 0x01A56, 0x01A58, 0x01A60,
        0x01A62, 0x01A62, 0x01A65, 0x01A6C, 0x01A73, 0x01A7F, 0x01AB0, 0x01B03, 0x01B34, 0x01B34,
        0x01B36, 0x01B3A, 0x01B3C, 0x01B3C, 0x01B42, 0x01B42, 0x01B6B, 0x01B73, 0x01B80, 0x01B81,
        0x01BA2, 0x01BA5, 0x01BA8, 0x01BA9, 0x01BAB, 0x01BAD, 0x01BE6, 0x01BE6, 0x01BE8, 0x01BE9,
        0x01BED, 0x01BED, 0x01BEF, 0x01BF1, 0x01C2C, 0x01C33, 0x01C36, 0x01C37, 0x01CD0, 0x01CD2,
        0x01CD4, 0x01CE0, 0x01CE2, 0x01CE8, 0x01CED, 0x01CED, 0x01CF4, 0x01CF4, 0x01CF8, 0x01CF9,
        0x01DC0, 0x01DFF, 0x020D0, 0x020F0, 0x02CEF, 0x02CF1, 0x02D7F, 0x02D7F, 0x02DE0, 0x02DFF,
        0x0302A, 0x0302D, 0x03099, 0x0309A, 0x0A66F, 0x0A672, 0x0A674, 0x0A67D, 0x0A69E, 0x0A69F,
        0x0A6F0, 0x0A6F1, 0x0A802, 0x0A802, 0x0A806, 0x0A806, 0x0A80B, 0x0A80B, 0x0A825, 0x0A826,
        0x0A82C, 0x0A82C, 0x0A8C4, 0x0A8C5, 0x0A8E0, 0x0A8F1, 0x0A8FF, 0x0A8FF, 0x0A926, 0x0A92D,
        0x0A947, 0x0A951, 0x0A980, 0x0A982, 0x0A9B3, 0x0A9B3, 0x0A9B6, 0x0A9B9, 0x0A9BC, 0x0A9BD,
        0x0A9E5, 0x0A9E5, 0x0AA29, 0x0AA2E, 0x0AA31, 0x0AA32, 0x0AA35, 0x0AA36, 0x0AA43, 0x0AA43,
        0x0AA4C, 0x0AA4C, 0x0AA7C, 0x0AA7C, 0x0AAB0, 0x0AAB0, 0x0AAB2, 0x0AAB4, 0x0AAB7, 0x0AAB8,
        0x0AABE, 0x0AABF, 0x0AAC1, 0x0AAC1, 0x0AAEC, 0x0AAED, 0x0AAF6, 0x0AAF6, 0x0ABE5, 0x0ABE5,
        0x0ABE8, 0x0ABE8, 0x0ABED, 0x0ABED, 0x0FB1E, 0x0FB1E, 0x0FE00, 0x0FE0F, 0x0FE20, 0x0FE2F,
        0x101FD, 0x101FD, 0x102E0, 0x102E0, 0x10376, 0x1037A, 0x10A01, 0x10A0F, 0x10A38, 0x10A3F,
        0x10AE5, 0x10AE6, 0x10D24, 0x10D27, 0x10EAB, 0x10EAC, 0x10F46, 0x10F50, 0x10F82, 0x10F85,
        0x11001, 0x11001, 0x11038, 0x11046, 0x11070, 0x11070, 0x11073, 0x11074, 0x1107F, 0x11081,
        0x110B3, 0x110B6, 0x110B9, 0x110BA, 0x110C2, 0x110C2, 0x11100, 0x11102, 0x11127, 0x1112B,
        0x1112D, 0x11134, 0x11173, 0x11173, 0x11180, 0x11181, 0x111B6, 0x111BE, 0x111C9, 0x111CC,
        0x111CF, 0x111CF, 0x1122F, 0x11231, 0x11234, 0x11234, 0x11236, 0x11237, 0x1123E, 0x1123E,
        0x112DF, 0x112DF, 0x112E3, 0x112EA, 0x11300, 0x11301, 0x1133B, 0x1133C, 0x11340, 0x11340,
        0x11366, 0x11374, 0x11438, 0x1143F, 0x11442, 0x11444, 0x11446, 0x11446, 0x1145E, 0x1145E,
        0x114B3, 0x114B8, 0x114BA, 0x114BA, 0x114BF, 0x114C0, 0x114C2, 0x114C3, 0x115B2, 0x115B5,
        0x115BC, 0x115BD, 0x115BF, 0x115C0, 0x115DC, 0x115DD, 0x11633, 0x1163A, 0x1163D, 0x1163D,
        0x1163F, 0x11640, 0x116AB, 0x116AB, 0x116AD, 0x116AD, 0x116B0, 0x116B5, 0x116B7, 0x116B7,
        0x1171D, 0x1171F, 0x11722, 0x11725, 0x11727, 0x1172B, 0x1182F, 0x11837, 0x11839, 0x1183A,
        0x1193B, 0x1193C, 0x1193E, 0x1193E, 0x11943, 0x11943, 0x119D4, 0x119DB, 0x119E0, 0x119E0,
        0x11A01, 0x11A0A, 0x11A33, 0x11A38, 0x11A3B, 0x11A3E, 0x11A47, 0x11A47, 0x11A51, 0x11A56,
        0x11A59, 0x11A5B, 0x11A8A, 0x11A96, 0x11A98, 0x11A99, 0x11C30, 0x11C3D, 0x11C3F, 0x11C3F,
        0x11C92, 0x11CA7, 0x11CAA, 0x11CB0, 0x11CB2, 0x11CB3, 0x11CB5, 0x11CB6, 0x11D31, 0x11D45,
        0x11D47, 0x11D47, 0x11D90, 0x11D91, 0x11D95, 0x11D95, 0x11D97, 0x11D97, 0x11EF3, 0x11EF4,
        0x16AF0, 0x16AF4, 0x16B30, 0x16B36, 0x16F4F, 0x16F4F, 0x16F8F, 0x16F92, 0x16FE4, 0x16FE4,
        0x1BC9D, 0x1BC9E, 0x1CF00, 0x1CF46, 0x1D167, 0x1D169, 0x1D17B, 0x1D182, 0x1D185, 0x1D18B,
        0x1D1AA, 0x1D1AD, 0x1D242, 0x1D244, 0x1DA00, 0x1DA36, 0x1DA3B, 0x1DA6C, 0x1DA75, 0x1DA75,
        0x1DA84, 0x1DA84, 0x1DA9B, 0x1DAAF, 0x1E000, 0x1E02A, 0x1E130, 0x1E136, 0x1E2AE, 0x1E2AE,
        0x1E2EC, 0x1E2EF, 0x1E8D0, 0x1E8D6, 0x1E944, 0x1E94A, 0xE0100, 0xE01EF,
    ]

    static let wideRanges: [UInt32] = [
        0x01100, 0x0115F, 0x0231A, 0x0231B, 0x02329, 0x0232A, 0x023E9, 0x023EC, 0x023F0, 0x023F0,
        0x023F3, 0x023F3, 0x025FD, 0x025FE, 0x02614, 0x02615, 0x02648, 0x02653, 0x0267F, 0x0267F,
        0x02693, 0x02693, 0x026A1, 0x026A1, 0x026AA, 0x026AB, 0x026BD, 0x026BE, 0x026C4, 0x026C5,
        0x026CE, 0x026CE, 0x026D4, 0x026D4, 0x026EA, 0x026EA, 0x026F2, 0x026F3, 0x026F5, 0x026F5,
        0x026FA, 0x026FA, 0x026FD, 0x026FD, 0x02705, 0x02705, 0x0270A, 0x0270B, 0x02728, 0x02728,
        0x0274C, 0x0274C, 0x0274E, 0x0274E, 0x02753, 0x02755, 0x02757, 0x02757, 0x02795, 0x02797,
        0x027B0, 0x027B0, 0x027BF, 0x027BF, 0x02B1B, 0x02B1C, 0x02B50, 0x02B50, 0x02B55, 0x02B55,
        0x02E80, 0x02E99, 0x02E9B, 0x02EF3, 0x02F00, 0x02FD5, 0x02FF0, 0x02FFB, 0x03000, 0x03029,
        0x0302E, 0x0303E, 0x03041, 0x03096, 0x0309B, 0x030FF, 0x03105, 0x0312F, 0x03131, 0x0318E,
        0x03190, 0x031E3, 0x031F0, 0x0321E, 0x03220, 0x03247, 0x03250, 0x04DBF, 0x04E00, 0x0A48C,
        0x0A490, 0x0A4C6, 0x0A960, 0x0A97C, 0x0AC00, 0x0D7A3, 0x0F900, 0x0FAFF, 0x0FE10, 0x0FE19,
        0x0FE30, 0x0FE52, 0x0FE54, 0x0FE66, 0x0FE68, 0x0FE6B, 0x0FF01, 0x0FF60, 0x0FFE0, 0x0FFE6,
        0x16FE0, 0x16FE3, 0x16FF0, 0x16FF1, 0x17000, 0x187F7, 0x18800, 0x18CD5, 0x18D00, 0x18D08,
        0x1AFF0, 0x1AFF3, 0x1AFF5, 0x1AFFB, 0x1AFFD, 0x1AFFE, 0x1B000, 0x1B122, 0x1B150, 0x1B152,
        0x1B164, 0x1B167, 0x1B170, 0x1B2FB, 0x1F004, 0x1F004, 0x1F0CF, 0x1F0CF, 0x1F18E, 0x1F18E,
        0x1F191, 0x1F19A, 0x1F200, 0x1F202, 0x1F210, 0x1F23B, 0x1F240, 0x1F248, 0x1F250, 0x1F251,
        0x1F260, 0x1F265, 0x1F300, 0x1F320, 0x1F32D, 0x1F335, 0x1F337, 0x1F37C, 0x1F37E, 0x1F393,
        0x1F3A0, 0x1F3CA, 0x1F3CF, 0x1F3D3, 0x1F3E0, 0x1F3F0, 0x1F3F4, 0x1F3F4, 0x1F3F8, 0x1F43E,
        0x1F440, 0x1F440, 0x1F442, 0x1F4FC, 0x1F4FF, 0x1F53D, 0x1F54B, 0x1F54E, 0x1F550, 0x1F567,
        0x1F57A, 0x1F57A, 0x1F595, 0x1F596, 0x1F5A4, 0x1F5A4, 0x1F5FB, 0x1F64F, 0x1F680, 0x1F6C5,
        0x1F6CC, 0x1F6CC, 0x1F6D0, 0x1F6D2, 0x1F6D5, 0x1F6D7, 0x1F6DD, 0x1F6DF, 0x1F6EB, 0x1F6EC,
        0x1F6F4, 0x1F6FC, 0x1F7E0, 0x1F7EB, 0x1F7F0, 0x1F7F0, 0x1F90C, 0x1F93A, 0x1F93C, 0x1F945,
        0x1F947, 0x1F9FF, 0x1FA70, 0x1FA74, 0x1FA78, 0x1FA7C, 0x1FA80, 0x1FA86, 0x1FA90, 0x1FAAC,
        0x1FAB0, 0x1FABA, 0x1FAC0, 0x1FAC5, 0x1FAD0, 0x1FAD9, 0x1FAE0, 0x1FAE7, 0x1FAF0, 0x1FAF6,
        0x20000, 0x2FFFD, 0x30000, 0x3FFFD,
    ]
}
