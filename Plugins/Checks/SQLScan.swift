/// A light lexical pass over SQL text, enough to check a pack file's SQL before it ever reaches
/// the server: where statements end, which `$n` parameters it uses, and its words outside
/// strings and comments. It knows PostgreSQL's quoting: `'...'` (with `''`), `E'...'` (with
/// backslash escapes), `"..."`, dollar quotes (`$$...$$`, `$tag$...$tag$`), `--` and nested
/// `/* */` comments.
struct SQLScan {
    /// Byte offsets (UTF-8) of the semicolons outside strings and comments.
    var semicolons: [Int] = []
    /// `$n` parameter references outside strings and comments: number and byte offset.
    var parameters: [(number: Int, offset: Int)] = []
    /// The text with every string, quoted identifier and comment blanked out (same length in
    /// bytes, newlines kept), for looking at the words of the SQL itself.
    var code: [UInt8] = []

    init(_ text: String) {
        let bytes = Array(text.utf8)
        code = bytes
        let count = bytes.count
        var index = 0

        func isIdentifierByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte >= 0x80
                || byte == UInt8(ascii: "$")
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func blank(_ range: Range<Int>) {
            for position in range where code[position] != UInt8(ascii: "\n") { code[position] = UInt8(ascii: " ") }
        }

        while index < count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < count ? bytes[index + 1] : nil
            let previous: UInt8? = index > 0 ? bytes[index - 1] : nil
            switch byte {
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                var end = index
                while end < count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
                blank(index..<end)
                index = end
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                var depth = 1
                var end = index + 2
                while end < count && depth > 0 {
                    if bytes[end] == UInt8(ascii: "/") && end + 1 < count && bytes[end + 1] == UInt8(ascii: "*") {
                        depth += 1
                        end += 2
                    } else if bytes[end] == UInt8(ascii: "*") && end + 1 < count && bytes[end + 1] == UInt8(ascii: "/") {
                        depth -= 1
                        end += 2
                    } else {
                        end += 1
                    }
                }
                blank(index..<end)
                index = end
            case UInt8(ascii: "'"):
                // E'...' (escape string): backslashes escape, when the E is a word of its own.
                let escapes = (previous == UInt8(ascii: "E") || previous == UInt8(ascii: "e"))
                    && (index < 2 || !isIdentifierByte(bytes[index - 2]))
                var end = index + 1
                while end < count {
                    if escapes && bytes[end] == UInt8(ascii: "\\") {
                        end += 2
                        continue
                    }
                    if bytes[end] == UInt8(ascii: "'") {
                        if end + 1 < count && bytes[end + 1] == UInt8(ascii: "'") {
                            end += 2
                            continue
                        }
                        end += 1
                        break
                    }
                    end += 1
                }
                end = min(end, count)
                blank(index..<end)
                index = end
            case UInt8(ascii: "\""):
                var end = index + 1
                while end < count {
                    if bytes[end] == UInt8(ascii: "\"") {
                        if end + 1 < count && bytes[end + 1] == UInt8(ascii: "\"") {
                            end += 2
                            continue
                        }
                        end += 1
                        break
                    }
                    end += 1
                }
                end = min(end, count)
                blank(index..<end)
                index = end
            case UInt8(ascii: "$") where previous.map({ !isIdentifierByte($0) }) ?? true:
                if let next, isDigit(next) {
                    var end = index + 1
                    var number = 0
                    while end < count && isDigit(bytes[end]) {
                        number = min(number * 10 + Int(bytes[end] - UInt8(ascii: "0")), 1_000_000)
                        end += 1
                    }
                    parameters.append((number, index))
                    index = end
                    continue
                }
                // A dollar quote: $$ or $tag$ (tag: a letter or _, then letters, digits, _).
                var end = index + 1
                while end < count && bytes[end] != UInt8(ascii: "$") && isIdentifierByte(bytes[end]) { end += 1 }
                let tagValid = end < count && bytes[end] == UInt8(ascii: "$")
                    && (end == index + 1 || !isDigit(bytes[index + 1]))
                guard tagValid else {
                    index += 1
                    continue
                }
                let delimiter = Array(bytes[index...end])
                var close = end + 1
                var found = count
                while close + delimiter.count <= count {
                    if bytes[close] == UInt8(ascii: "$") && Array(bytes[close..<close + delimiter.count]) == delimiter {
                        found = close + delimiter.count
                        break
                    }
                    close += 1
                }
                blank(index..<found)
                index = found
            case UInt8(ascii: ";"):
                semicolons.append(index)
                index += 1
            default:
                index += 1
            }
        }
    }

    /// The words (identifiers and keywords, upper-cased) of the code, in order.
    var words: [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in code {
            let isWord = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            if isWord {
                current.append(byte)
            } else if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self).uppercased())
                current.removeAll()
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self).uppercased()) }
        return words
    }

    /// True when nothing but whitespace is left of the code (comments and blank lines only).
    var isEmpty: Bool { code.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") } }

    /// The byte offset of the first code (not whitespace) after `offset`, or nil.
    func firstCode(after offset: Int) -> Int? {
        var index = offset
        while index < code.count {
            let byte = code[index]
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") && byte != UInt8(ascii: ";") {
                return index
            }
            index += 1
        }
        return nil
    }
}
