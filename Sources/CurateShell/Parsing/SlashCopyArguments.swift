import Foundation

/// The arguments of `\copy`, read as psql's `parse_slash_copy` reads them (the whole rest of the
/// line, tokenized psql's way), and the COPY statement they become: `COPY <what> FROM STDIN
/// <options>` or `COPY <what> TO STDOUT <options>`, with the data moved by the shell.
struct SlashCopyArguments: Equatable {
    /// Where the data comes from or goes to.
    enum Endpoint: Equatable {
        /// A file on the client (`~` expanded).
        case file(String)
        /// A program run through the shell: its output is read, or its input written.
        case program(String)
        /// `stdin` / `stdout`: the input the command came from; the result output (`\o`).
        case sameAsCommands
        /// `pstdin` / `pstdout`: curate's own standard input or output.
        case processStandardStream
    }

    /// Text between `\copy` and `from`/`to`, as psql builds it (each token after a space).
    var beforeDirection: String
    var isFrom: Bool
    var endpoint: Endpoint
    /// Everything after the file, as written (`with (format csv)`, `where ...`).
    var afterEndpoint: String?

    /// The statement sent to the server.
    var statement: String {
        "COPY " + beforeDirection + (isFrom ? " FROM STDIN " : " TO STDOUT ") + (afterEndpoint ?? "")
    }

    struct ParseError: Error, Equatable {
        let message: String
    }

    /// `standardConformingStrings`: a backslash escapes inside `'...'` of a query when off.
    static func parse(_ text: String, standardConformingStrings: Bool = true) throws(ParseError) -> SlashCopyArguments {
        var tokens = Tokenizer(Array(text.utf8))
        let space = Array(" \t\n\r".utf8)
        let nameDelimiters = Array(".,()".utf8)
        func fail(_ token: String?) -> ParseError {
            ParseError(message: token.map { "\\copy: parse error at \"\($0)\"" } ?? "\\copy: parse error at end of line")
        }
        func next(_ delimiters: [UInt8], quotes: [UInt8], escape: UInt8? = nil, eStrings: Bool = false) throws(ParseError) -> String {
            guard let token = tokens.next(whitespace: space, delimiters: delimiters, quotes: quotes, escape: escape, eStrings: eStrings) else {
                throw fail(nil)
            }
            return token
        }
        guard !text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else {
            throw ParseError(message: "\\copy: arguments required")
        }
        var before = ""
        var token = try next(nameDelimiters, quotes: Array("\"".utf8))
        if token.lowercased() == "binary" {
            before += token
            token = try next(nameDelimiters, quotes: Array("\"".utf8))
        }
        if token.hasPrefix("(") {
            // A query: to its closing parenthesis, its strings kept whole.
            var depth = 1
            while depth > 0 {
                before += " " + token
                token = try next(Array("()".utf8), quotes: Array("\"'".utf8), escape: standardConformingStrings ? nil : UInt8(ascii: "\\"), eStrings: true)
                if token.hasPrefix("(") { depth += 1 } else if token.hasPrefix(")") { depth -= 1 }
            }
        }
        before += " " + token
        token = try next(nameDelimiters, quotes: Array("\"".utf8))
        if token.hasPrefix(".") {
            before += token
            token = try next(nameDelimiters, quotes: Array("\"".utf8))
            before += token
            token = try next(nameDelimiters, quotes: Array("\"".utf8))
        }
        if token.hasPrefix("(") {
            // A column list.
            while true {
                before += " " + token
                token = try next(Array("()".utf8), quotes: Array("\"".utf8))
                if token.hasPrefix(")") { break }
            }
            before += " " + token
            token = try next(nameDelimiters, quotes: Array("\"".utf8))
        }
        let isFrom: Bool
        switch token.lowercased() {
        case "from": isFrom = true
        case "to": isFrom = false
        default: throw fail(token)
        }
        token = try next(Array(";".utf8), quotes: Array("'".utf8))
        let endpoint: Endpoint
        switch token.lowercased() {
        case "program":
            token = try next(Array(";".utf8), quotes: Array("'".utf8))
            guard token.count >= 2, token.hasPrefix("'"), token.hasSuffix("'") else { throw fail(token) }
            endpoint = .program(Self.stripQuotes(token))
        case "stdin", "stdout":
            endpoint = .sameAsCommands
        case "pstdin", "pstdout":
            endpoint = .processStandardStream
        default:
            endpoint = .file(Self.expandTilde(Self.stripQuotes(token)))
        }
        return SlashCopyArguments(beforeDirection: before, isFrom: isFrom, endpoint: endpoint, afterEndpoint: tokens.rest())
    }

    /// psql's `strip_quotes` for `'`: the quotes removed, doubled ones made single.
    private static func stripQuotes(_ token: String) -> String {
        var result = ""
        var inQuotes = false
        var characters = token.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            if character == "'" {
                if inQuotes, pending == "'" {
                    result.append("'")
                    pending = characters.next()
                } else {
                    inQuotes.toggle()
                }
                continue
            }
            result.append(character)
        }
        return result
    }

    /// psql's `expand_tilde`: `~/...` and `~user/...` become home folders.
    static func expandTilde(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let slash = path.firstIndex(of: "/") ?? path.endIndex
        let user = String(path[path.index(after: path.startIndex)..<slash])
        let home: String?
        if user.isEmpty {
            home = ProcessInfo.processInfo.environment["HOME"] ?? getpwuid(getuid()).flatMap { $0.pointee.pw_dir.map { String(cString: $0) } }
        } else {
            home = getpwnam(user).flatMap { $0.pointee.pw_dir.map { String(cString: $0) } }
        }
        guard let home else { return path }
        return home + path[slash...]
    }

    /// psql's `strtokx` over bytes: a token is a delimiter character, a quoted string (quotes
    /// kept; doubled quotes and, with `escape`, escaped characters inside), or a run up to the next
    /// whitespace, delimiter or quote.
    private struct Tokenizer {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func next(whitespace: [UInt8], delimiters: [UInt8], quotes: [UInt8], escape: UInt8?, eStrings: Bool) -> String? {
            while position < bytes.count, whitespace.contains(bytes[position]) { position += 1 }
            guard position < bytes.count else { return nil }
            let start = position
            if delimiters.contains(bytes[start]) {
                position += 1
                return text(start, position)
            }
            var quotes = quotes
            var escape = escape
            var quoteAt = start
            if eStrings, bytes[start] | 0x20 == UInt8(ascii: "e"), start + 1 < bytes.count, bytes[start + 1] == UInt8(ascii: "'") {
                quotes = [UInt8(ascii: "'")]
                escape = UInt8(ascii: "\\")
                quoteAt = start + 1
            }
            if quotes.contains(bytes[quoteAt]) {
                let quote = bytes[quoteAt]
                var index = quoteAt + 1
                while index < bytes.count {
                    if let escape, bytes[index] == escape, index + 1 < bytes.count {
                        index += 2
                    } else if bytes[index] == quote, index + 1 < bytes.count, bytes[index + 1] == quote {
                        index += 2
                    } else if bytes[index] == quote {
                        index += 1
                        break
                    } else {
                        index += 1
                    }
                }
                position = index
                return text(start, position)
            }
            var end = start
            while end < bytes.count, !whitespace.contains(bytes[end]), !delimiters.contains(bytes[end]), !quotes.contains(bytes[end]) {
                end += 1
            }
            position = end
            return text(start, end)
        }

        /// What is left, as written (nil when nothing is).
        mutating func rest() -> String? {
            guard position < bytes.count else { return nil }
            defer { position = bytes.count }
            return text(position, bytes.count)
        }

        private func text(_ start: Int, _ end: Int) -> String {
            String(decoding: bytes[start..<end], as: UTF8.self)
        }
    }
}
