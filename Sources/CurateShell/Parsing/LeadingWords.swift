/// The first words of a statement as psql reads them to decide how to send it (its
/// `command_no_begin` and `is_select_command`): whitespace and comments (`--`, nested `/* */`)
/// are skipped, and a word is a run of ASCII letters (so `vacuum_x` reads as `vacuum`, as in psql).
struct LeadingWords {
    private let bytes: [UInt8]
    private var index = 0

    init(_ sql: String) {
        bytes = Array(sql.utf8)
    }

    /// The next word in lower case; "" when what follows is not a letter (or nothing follows).
    mutating func next() -> String {
        skipSpaceAndComments()
        let start = index
        while index < bytes.count, Self.isLetter(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
    }

    /// Skips whitespace, comments and opening parentheses (`is_select_command` looks past them).
    mutating func skipOpeningParentheses() {
        while true {
            skipSpaceAndComments()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "(") else { return }
            index += 1
        }
    }

    /// True when, after whitespace and comments, a letter follows.
    mutating func letterFollows() -> Bool {
        skipSpaceAndComments()
        return index < bytes.count && Self.isLetter(bytes[index])
    }

    private mutating func skipSpaceAndComments() {
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            let following = index + 1 < bytes.count ? bytes[index + 1] : 0
            if byte == UInt8(ascii: "/") && following == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if depth > 0 && byte == UInt8(ascii: "*") && following == UInt8(ascii: "/") {
                depth -= 1
                index += 2
            } else if depth > 0 || Self.isSpace(byte) {
                index += 1
            } else if byte == UInt8(ascii: "-") && following == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else {
                return
            }
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || (byte >= 9 && byte <= 13)
    }
}
