/// Lines that carry passwords never go into the history file.
enum HistoryFilter {
    /// `\password`, `ALTER|CREATE ROLE|USER ... PASSWORD ...` anywhere in the entry (several
    /// statements, comments before them, any case), and a connection string or URI with a
    /// password in it (`'host=db password=...'` for dblink or `CREATE SUBSCRIPTION`,
    /// `postgresql://user:secret@host/db`).
    static func holdsPassword(_ entry: String) -> Bool {
        let lowered = entry.lowercased()
        if holdsConnectionPassword(lowered) { return true }
        let words = lowered
            .split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "\\") })
        if words.contains("\\password") { return true }
        guard words.contains("password") else { return false }
        for (index, word) in words.enumerated() where word == "alter" || word == "create" {
            if index + 1 < words.count, words[index + 1] == "role" || words[index + 1] == "user" {
                return true
            }
        }
        return false
    }

    /// `password=` (spaces allowed around `=`) as a connection-string key, or `scheme://user:secret@`.
    private static func holdsConnectionPassword(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let key = Array("password".utf8)
        var index = 0
        while index + key.count <= bytes.count {
            if bytes[index..<(index + key.count)].elementsEqual(key) {
                let before = index == 0 ? UInt8(ascii: " ") : bytes[index - 1]
                let startsWord = !(before.isASCIILetterOrDigit || before == UInt8(ascii: "_"))
                var after = index + key.count
                while after < bytes.count, bytes[after] == UInt8(ascii: " ") || bytes[after] == UInt8(ascii: "\t") { after += 1 }
                if startsWord, after < bytes.count, bytes[after] == UInt8(ascii: "=") { return true }
            }
            index += 1
        }
        // A URI's user information with a password: "://" then "user:secret@" before any "/".
        var rest = text[...]
        while let scheme = rest.range(of: "://") {
            let authority = rest[scheme.upperBound...].prefix { $0 != "/" && $0 != " " && $0 != "'" && $0 != "\"" && $0 != "\n" }
            if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") { return true }
            rest = rest[scheme.upperBound...]
        }
        return false
    }
}

private extension UInt8 {
    var isASCIILetterOrDigit: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A)
    }
}
