import Testing
@testable import CurateKit

@Suite("Display width (psql's rules)")
struct DisplayWidthTests {
    @Test(arguments: [
        (UInt32(0x61), 1), (0x20, 1), (0x7E, 1), (0x01, -1), (0x1F, -1), (0x7F, -1), (0x85, -1), (0x9F, -1),
        (0xA0, 1), (0xE9, 1), (0x0301, 0), (0x200B, 1), (0x0483, 0), (0x1100, 2), (0x65E5, 2), (0xD55C, 2),
        (0xFF46, 2), (0x1F600, 2), (0x20000, 2), (0xE0100, 0), (0x10FFFF, 1), (0x110000, -1),
    ])
    func characterWidth(scalar: UInt32, width: Int) {
        // UTF-8 by hand: 0x110000 is past Unicode, but its four-byte form still reaches libpq.
        let bytes: [UInt8] = switch scalar {
        case ..<0x80: [UInt8(scalar)]
        case ..<0x800: [0xC0 | UInt8(scalar >> 6), 0x80 | UInt8(scalar & 0x3F)]
        case ..<0x10000: [0xE0 | UInt8(scalar >> 12), 0x80 | UInt8((scalar >> 6) & 0x3F), 0x80 | UInt8(scalar & 0x3F)]
        default: [0xF0 | UInt8(scalar >> 18), 0x80 | UInt8((scalar >> 12) & 0x3F), 0x80 | UInt8((scalar >> 6) & 0x3F),
                  0x80 | UInt8(scalar & 0x3F)]
        }
        #expect(bytes.withUnsafeBufferPointer { DisplayWidth.width(ofCharacterAt: $0.baseAddress!) } == width)
    }

    @Test(arguments: [
        ("", 0), ("abc", 3), ("日本語", 6), ("e\u{301}", 1), ("😀x", 3), ("ｆｕｌｌ", 8), ("a\tb", 9),
        ("12345678\tx", 17), ("ab\ncdef", 4), ("\r", 2), ("\u{1}", 4), ("\u{85}", 6), ("x\ty\n\tz", 9),
        ("a\u{10FFFF}b", 2),
    ])
    func textWidth(text: String, width: Int) {
        #expect(DisplayWidth.width(of: text) == width)
    }

    private func measure(_ text: String) -> DisplayWidth.Size {
        Array(text.utf8).withUnsafeBufferPointer { DisplayWidth.measure($0.baseAddress!, count: $0.count) }
    }

    @Test func measuresLinesAndFormatting() {
        #expect(measure("plain") == .init(width: 5, height: 1, needsFormatting: false))
        #expect(measure("日本") == .init(width: 4, height: 1, needsFormatting: false))
        #expect(measure("a\nbcd\n") == .init(width: 3, height: 3, needsFormatting: true))
        #expect(measure("t\tb") == .init(width: 9, height: 1, needsFormatting: true))
        #expect(measure("\u{7F}") == .init(width: 4, height: 1, needsFormatting: true))
    }

    @Test func formatsLikePsql() {
        let buffer = RenderBuffer()
        var lines: [DisplayWidth.Line] = []
        let input = Array("a\tb\u{1}\r\u{85}\u{7F}\nsecond 日\n".utf8)
        input.withUnsafeBufferPointer {
            DisplayWidth.format($0.baseAddress!, count: $0.count, into: buffer, lines: &lines)
        }
        let text = lines.map { String(decoding: UnsafeRawBufferPointer(start: buffer.base + $0.start, count: $0.length), as: UTF8.self) }
        #expect(text == ["a       b\\x01\\r\\u0085\\x7F", "second 日", ""])
        #expect(lines.map(\.width) == [25, 9, 0])
    }

    private func validated(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        let n = copy.withUnsafeMutableBufferPointer { DisplayWidth.dropInvalidSequences($0.baseAddress!, count: $0.count) }
        let valid = bytes.withUnsafeBufferPointer { DisplayWidth.isValid($0.baseAddress!, count: $0.count) }
        #expect(valid == (n == bytes.count))
        return Array(copy[..<n])
    }

    @Test func dropsWhatPsqlsMbvalidateDrops() {
        #expect(validated([0x61, 0xFF, 0x62]) == [0x61, 0x62])
        #expect(validated([0x78, 0xE6, 0x97]) == [0x78])  // truncated sequence
        #expect(validated([0x63, 0xF4, 0x8F, 0xBF, 0xBF, 0x64]) == [0x63, 0x64])  // U+10FFFF
        #expect(validated([0xF0, 0x9F, 0xBF, 0xBE, 0x21]) == [0x21])  // U+1FFFE
        #expect(validated([0xC0, 0xAF, 0x71]) == [0x71])  // overlong
        #expect(validated([0xED, 0xA0, 0x80, 0x7A]) == [0x7A])  // surrogate
        #expect(validated([0xEF, 0xBF, 0xBE]) == [0xEF, 0xBF, 0xBE])  // U+FFFE: psql keeps it
        let fine = Array("é日😀 plain".utf8)
        #expect(validated(fine) == fine)
    }

    @Test func printableASCIIScan() {
        for length in 1..<20 {
            let plain = [UInt8](repeating: 0x41, count: length)
            #expect(plain.withUnsafeBufferPointer { DisplayWidth.isPrintableASCII($0.baseAddress!, count: length) })
            for position in 0..<length {
                for bad: UInt8 in [0x00, 0x09, 0x1F, 0x7F, 0x80, 0xC3, 0xFF] {
                    var bytes = plain
                    bytes[position] = bad
                    #expect(!bytes.withUnsafeBufferPointer { DisplayWidth.isPrintableASCII($0.baseAddress!, count: length) })
                }
            }
        }
        let edges: [UInt8] = [0x20, 0x7E, 0x20, 0x7E, 0x21, 0x7D, 0x30, 0x40, 0x20]
        #expect(edges.withUnsafeBufferPointer { DisplayWidth.isPrintableASCII($0.baseAddress!, count: $0.count) })
    }
}
