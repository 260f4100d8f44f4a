/// Byte classes of psql's lexer (`psqlscan.l`), on UTF-8 bytes: every byte >= 0x80 counts as a letter,
/// so multi-byte characters are never split.
/// (Inlined: the lexer asks for every byte of every statement.)
enum SQLBytes {
    /// `[ \t\n\r\f]`
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte >= 0x80
    }

    /// The first character of an identifier or of a dollar-quote tag: `[A-Za-z\200-\377_]`.
    @inline(__always)
    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        isLetter(byte)
    }

    /// Later characters of an identifier: `[A-Za-z\200-\377_0-9\$]`.
    @inline(__always)
    static func isIdentifierContinuation(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
    }

    /// Later characters of a dollar-quote tag: `[A-Za-z\200-\377_0-9]` (no `$`).
    @inline(__always)
    static func isDollarTagContinuation(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte)
    }

    /// Characters of a psql variable name: `[A-Za-z\200-\377_0-9]`.
    @inline(__always)
    static func isVariableChar(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte)
    }

    /// Recognizes a dollar-quote delimiter (`$$` or `$tag$`) at `input[start]`, which is a `$`.
    /// Returns the index just past the tag (the closing `$`) when it is one, or, when it is not,
    /// the index up to which the text is plain (`$tag` with no closing `$`, or the lone `$`), and `isDelimiter == false`.
    static func dollarDelimiter(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> (tagEnd: Int, isDelimiter: Bool) {
        let count = input.count
        var index = start + 1
        if index < count, input[index] == UInt8(ascii: "$") {
            return (index, true)
        }
        guard index < count, isIdentifierStart(input[index]) else {
            return (start + 1, false)
        }
        index += 1
        while index < count, isDollarTagContinuation(input[index]) {
            index += 1
        }
        if index < count, input[index] == UInt8(ascii: "$") {
            return (index, true)
        }
        return (index, false)
    }
}
