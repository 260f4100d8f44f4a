/// Splits a backslash command's argument text into words, like a POSIX shell.
public enum ArgumentTokenizer {
    /// Split a backslash command's argument text like a POSIX shell: whitespace separates; '...' is literal;
    /// "..." allows \" and \\ escapes; a bare backslash escapes the next character; unquoted :name / :'name' / :"name"
    /// are interpolated through `resolve` (undefined ones left as written). Unterminated quote -> throws SplitterError.
    ///
    /// Quoted parts and plain parts next to each other make one word (`a'b c'` is `ab c`); `''` is an empty word.
    /// An interpolated value is never split into several words. `::` is never a variable.
    /// A backslash at the very end stands for itself.
    public static func split(_ text: String, line: Int, resolve: VariableResolver) throws(SplitterError) -> [String] {
        var text = text
        let result = text.withUTF8 { input in
            Result { () throws(SplitterError) -> [String] in
                try split(input, line: line, resolve: resolve)
            }
        }
        return try result.get()
    }

    private static func split(_ input: UnsafeBufferPointer<UInt8>, line: Int, resolve: VariableResolver) throws(SplitterError) -> [String] {
        let count = input.count
        var words: [String] = []
        var word: [UInt8] = []
        // A word has begun even if it is still empty (`''`).
        var inWord = false
        var index = 0

        func append(_ start: Int, _ end: Int) {
            word.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<end]))
        }

        while index < count {
            let byte = input[index]
            switch byte {
            case _ where SQLBytes.isSpace(byte) || byte == 0x0B:
                if inWord {
                    words.append(String(decoding: word, as: UTF8.self))
                    word.removeAll(keepingCapacity: true)
                    inWord = false
                }
                index += 1

            case UInt8(ascii: "'"):
                inWord = true
                var end = index + 1
                while end < count, input[end] != UInt8(ascii: "'") { end += 1 }
                guard end < count else {
                    throw SplitterError(message: "unterminated quoted string", line: line)
                }
                append(index + 1, end)
                index = end + 1

            case UInt8(ascii: "\""):
                inWord = true
                index += 1
                var closed = false
                while index < count {
                    let inner = input[index]
                    if inner == UInt8(ascii: "\"") {
                        closed = true
                        index += 1
                        break
                    }
                    if inner == UInt8(ascii: "\\"), index + 1 < count,
                       input[index + 1] == UInt8(ascii: "\"") || input[index + 1] == UInt8(ascii: "\\") {
                        word.append(input[index + 1])
                        index += 2
                        continue
                    }
                    word.append(inner)
                    index += 1
                }
                guard closed else {
                    throw SplitterError(message: "unterminated quoted string", line: line)
                }

            case UInt8(ascii: "\\"):
                inWord = true
                // The escaped byte is taken as is; the rest of a multi-byte character follows as plain bytes.
                let end = min(index + 2, count)
                append(end - 1, end)
                index = end

            case UInt8(ascii: ":"):
                inWord = true
                if index + 1 < count, input[index + 1] == UInt8(ascii: ":") {
                    append(index, index + 2)
                    index += 2
                } else if let found = VariableReference.parse(input, at: index) {
                    if let value = resolve(found.reference) {
                        word.append(contentsOf: value.utf8)
                    } else {
                        append(index, found.end)
                    }
                    index = found.end
                } else {
                    append(index, index + 1)
                    index += 1
                }

            default:
                inWord = true
                append(index, index + 1)
                index += 1
            }
        }
        if inWord {
            words.append(String(decoding: word, as: UTF8.self))
        }
        return words
    }
}
