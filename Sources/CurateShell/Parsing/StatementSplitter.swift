/// Splits the shell's input lines into SQL statements and backslash commands, the way psql's lexer
/// (`src/fe_utils/psqlscan.l`) does: a `;` ends a statement unless it is inside a quoted string, a quoted
/// identifier, a dollar quote, a comment or parentheses; a backslash outside those starts a command;
/// `:name`, `:'name'` and `:"name"` are interpolated.
///
/// It works on UTF-8 bytes, one pass over each line, so its cost is linear in the input.
public struct StatementSplitter: Sendable {
    /// Where the lexer is between two bytes (psql's start states).
    private enum LexState: Equatable, Sendable {
        case normal
        /// `'...'` (standard strings, and B'', X'', N'', U&''), or `E'...'` where a backslash escapes the next byte.
        case singleQuote(backslashEscapes: Bool)
        case doubleQuote
        case dollarQuote(tag: [UInt8])
        /// Block comments nest; depth 0 is the outermost.
        case blockComment(depth: Int)
    }

    /// The query buffer: what has been typed and not yet ended.
    private var bytes: [UInt8] = []
    /// The line the buffer's text starts on.
    private var firstLine = 0
    private var lexState: LexState = .normal
    /// The line the open quote, dollar quote or comment started on, for the error at the end of the input.
    private var constructLine = 0
    private var parenthesisDepth = 0
    private var functionBody = FunctionBodyTracker()
    /// The line being fed.
    private var currentLine = 0
    /// Bytes of the line being scanned that go into the buffer next, not yet copied: the tokens
    /// of a statement follow one another, and are copied in one piece (empty outside `scan`).
    private var runStart = 0
    private var runEnd = 0
    /// psql's SINGLELINE (`-S`): a newline ends a statement as `;` does. (A line that ends in a
    /// backslash command keeps what precedes the command in the buffer.)
    public var endsStatementAtLineEnd = false

    /// False when the server's `standard_conforming_strings` is off: a backslash in `'...'` then
    /// escapes the next byte, as in `E'...'` (psql's lexer reads the setting for every line).
    public var standardConformingStrings = true

    /// Inside an `\if` branch that is not taken: a `;` still ends a statement (reported, never
    /// sent), but its text stays in the buffer, to be dropped at the branch's end (as psql does).
    public var keepsEndedStatements = false

    public init() {}

    /// Feed one input line (without its newline). Returns the items completed by this line, in order.
    ///
    /// A backslash command takes the rest of its line, so it is always the last item returned; the buffer
    /// then holds what was typed before it (for `\g`, `\r`, `\p` and the like to act on).
    public mutating func feed(line: String, lineNumber: Int, resolve: VariableResolver) -> [InputItem] {
        var line = line
        return line.withUTF8 { input in
            scan(input, lineNumber: lineNumber, resolve: resolve)
        }
    }

    /// The pending query buffer (what has been typed but not yet ended by `;`).
    public var buffer: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// True when nothing but whitespace and `--` comments has been typed since the last statement
    /// (those are never kept at the start of the buffer).
    public var bufferIsEmpty: Bool {
        bytes.isEmpty
    }

    /// The innermost construct still open at the end of the buffer, for the continuation prompt.
    public var openConstruct: OpenConstruct {
        switch lexState {
        case .normal:
            return parenthesisDepth > 0 ? .parenthesis : .none
        case .singleQuote:
            return .singleQuote
        case .doubleQuote:
            return .doubleQuote
        case .dollarQuote(let tag):
            return .dollarQuote(tag: String(decoding: tag, as: UTF8.self))
        case .blockComment:
            return .blockComment
        }
    }

    /// Empties the buffer and forgets any open quote, comment or parenthesis (Ctrl-C, `\r`).
    public mutating func clearBuffer() {
        bytes.removeAll(keepingCapacity: bytes.capacity <= Self.retainedCapacity)
        lexState = .normal
        parenthesisDepth = 0
        functionBody.reset()
    }

    /// Where the buffer stands: its length and open parentheses (kept at `\if`, `\elif` and `\else`
    /// so that text typed in a branch that is not taken can be dropped again, as psql does).
    public struct Mark: Equatable, Sendable {
        fileprivate let length: Int
        fileprivate let parenthesisDepth: Int
    }

    public var mark: Mark {
        Mark(length: bytes.count, parenthesisDepth: parenthesisDepth)
    }

    /// Drops what was added to the buffer since `mark` (never more than the buffer holds).
    public mutating func rewind(to mark: Mark) {
        if mark.length < bytes.count { bytes.removeSubrange(mark.length...) }
        parenthesisDepth = mark.parenthesisDepth
    }

    /// `\g`: the buffer as a statement even without `;` (nil if empty); clears it.
    public mutating func takeBuffer() -> SQLStatement? {
        defer { clearBuffer() }
        guard !bytes.isEmpty else { return nil }
        return SQLStatement(text: buffer, firstLine: firstLine)
    }

    /// End of input. Returns the last statement when the buffer holds one without a final `;` (psql sends it),
    /// nil when empty; throws SplitterError (e.g. "unterminated quoted string at end of input") when a quote,
    /// dollar quote, quoted identifier or block comment is still open. Never hangs.
    /// Either way the splitter is empty afterwards.
    public mutating func finish() throws(SplitterError) -> SQLStatement? {
        let problem: String? = switch lexState {
        case .normal: nil
        case .singleQuote: "unterminated quoted string at end of input"
        case .doubleQuote: "unterminated quoted identifier at end of input"
        case .dollarQuote: "unterminated dollar-quoted string at end of input"
        case .blockComment: "unterminated /* comment at end of input"
        }
        if let problem {
            let line = constructLine
            clearBuffer()
            throw SplitterError(message: problem, line: line)
        }
        return takeBuffer()
    }

    // MARK: - Scanning

    /// Buffers bigger than this are not kept allocated once emptied.
    private static let retainedCapacity = 1 << 16

    private mutating func scan(_ input: UnsafeBufferPointer<UInt8>, lineNumber: Int, resolve: VariableResolver) -> [InputItem] {
        currentLine = lineNumber
        var items: [InputItem] = []
        // Lines of one statement are joined with a newline. Remember where this line's went in: a line that holds
        // only a backslash command takes it out again, so the command leaves the buffer as it was (as psql does).
        var lineJoin: Int? = nil
        if !bytes.isEmpty {
            lineJoin = bytes.count
            bytes.append(UInt8(ascii: "\n"))
        }

        let count = input.count
        var index = 0
        while index < count {
            switch lexState {
            case .singleQuote(let backslashEscapes):
                index = scanSingleQuoted(input, from: index, backslashEscapes: backslashEscapes)
                continue
            case .doubleQuote:
                index = scanDoubleQuoted(input, from: index)
                continue
            case .dollarQuote(let tag):
                index = scanDollarQuoted(input, from: index, tag: tag)
                continue
            case .blockComment(let depth):
                index = scanBlockComment(input, from: index, depth: depth)
                continue
            case .normal:
                break
            }

            let byte = input[index]
            let next: UInt8 = index + 1 < count ? input[index + 1] : 0
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                var end = index + 1
                while end < count, SQLBytes.isSpace(input[end]) { end += 1 }
                // Whitespace at the start of the buffer is dropped.
                if hasText { append(input, index, end) }
                index = end

            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                var end = index + 2
                while end < count, input[end] != 0x0A, input[end] != 0x0D { end += 1 }
                // Comments before the statement are dropped; comments inside it are sent (psql 15 and later).
                if hasText { append(input, index, end) }
                index = end

            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                open(.blockComment(depth: 0))
                append(input, index, index + 2)
                index += 2

            case UInt8(ascii: "'"):
                open(.singleQuote(backslashEscapes: !standardConformingStrings))
                append(input, index, index + 1)
                index += 1

            case UInt8(ascii: "\""):
                open(.doubleQuote)
                append(input, index, index + 1)
                index += 1

            case UInt8(ascii: "$"):
                // Not after an identifier: identifiers take their `$`s with them below.
                let (tagEnd, isDelimiter) = SQLBytes.dollarDelimiter(input, at: index)
                if isDelimiter {
                    open(.dollarQuote(tag: Array(input[(index + 1)..<tagEnd])))
                    append(input, index, tagEnd + 1)
                    index = tagEnd + 1
                } else {
                    // `$1`, or `$tag` without its closing `$`: only the `$` is taken, the rest is scanned again.
                    append(input, index, index + 1)
                    index += 1
                }

            case UInt8(ascii: ":"):
                if next == UInt8(ascii: ":") {
                    // A cast, never a variable.
                    append(input, index, index + 2)
                    index += 2
                } else if let found = VariableReference.parse(input, at: index) {
                    if let value = resolve(found.reference) {
                        flushRun(input)
                        appendSubstitution(value)
                    } else {
                        append(input, index, found.end)
                    }
                    index = found.end
                } else {
                    append(input, index, index + 1)
                    index += 1
                }

            case UInt8(ascii: "\\"):
                if next == UInt8(ascii: ";") || next == UInt8(ascii: ":") {
                    // `\;` puts a `;` in the buffer without ending the statement; `\:` a colon that is not a variable.
                    append(input, index + 1, index + 2)
                    if next == UInt8(ascii: ";") { functionBody.statementEnded() }
                    index += 2
                    continue
                }
                flushRun(input)
                if let join = lineJoin, bytes[(join + 1)...].allSatisfy(SQLBytes.isSpace) {
                    bytes.removeSubrange(join...)
                }
                items.append(.command(command(input, backslashAt: index, lineNumber: lineNumber)))
                return items

            case UInt8(ascii: "("):
                parenthesisDepth += 1
                append(input, index, index + 1)
                index += 1

            case UInt8(ascii: ")"):
                if parenthesisDepth > 0 { parenthesisDepth -= 1 }
                append(input, index, index + 1)
                index += 1

            case UInt8(ascii: ";"):
                append(input, index, index + 1)
                index += 1
                if parenthesisDepth == 0 && functionBody.beginDepth == 0 {
                    flushRun(input)
                    items.append(.statement(SQLStatement(text: buffer, firstLine: firstLine)))
                    if keepsEndedStatements { continue }
                    bytes.removeAll(keepingCapacity: bytes.capacity <= Self.retainedCapacity)
                    functionBody.statementEnded()
                    lineJoin = nil
                }

            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                var end = index + 1
                while end < count, SQLBytes.isDigit(input[end]) { end += 1 }
                append(input, index, end)
                index = end

            case _ where SQLBytes.isIdentifierStart(byte):
                if let prefixLength = stringPrefix(input, at: index) {
                    index += prefixLength
                    continue
                }
                var end = index + 1
                while end < count, SQLBytes.isIdentifierContinuation(input[end]) { end += 1 }
                append(input, index, end)
                functionBody.note(identifier: UnsafeBufferPointer(rebasing: input[index..<end]), parenthesisDepth: parenthesisDepth)
                index = end

            default:
                append(input, index, index + 1)
                index += 1
            }
        }
        flushRun(input)
        // psql's SINGLELINE: the end of a line ends the statement, unless a quote, comment or
        // parenthesis is still open.
        if endsStatementAtLineEnd, !bytes.isEmpty, lexState == .normal, parenthesisDepth == 0 {
            items.append(.statement(SQLStatement(text: buffer, firstLine: firstLine)))
            bytes.removeAll(keepingCapacity: bytes.capacity <= Self.retainedCapacity)
            functionBody.statementEnded()
        }
        return items
    }

    /// A string or identifier opened with a prefix: `E'` (backslash escapes), `B'`, `X'`, `N'`, `U&'`, `U&"`.
    /// Opens it and returns the prefix length, or nil when `input[index]` starts a plain identifier.
    private mutating func stringPrefix(_ input: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let count = input.count
        guard index + 1 < count else { return nil }
        let letter = input[index] | 0x20
        let next = input[index + 1]
        if next == UInt8(ascii: "'") {
            switch letter {
            case UInt8(ascii: "e"):
                open(.singleQuote(backslashEscapes: true))
            case UInt8(ascii: "n"):
                open(.singleQuote(backslashEscapes: !standardConformingStrings))
            case UInt8(ascii: "b"), UInt8(ascii: "x"):
                open(.singleQuote(backslashEscapes: false))
            default:
                return nil
            }
            append(input, index, index + 2)
            return 2
        }
        if letter == UInt8(ascii: "u"), next == UInt8(ascii: "&"), index + 2 < count {
            switch input[index + 2] {
            case UInt8(ascii: "'"):
                // psql's lexer: a Unicode string never takes backslash escapes, whatever
                // standard_conforming_strings says (the server refuses it when off).
                open(.singleQuote(backslashEscapes: false))
            case UInt8(ascii: "\""):
                open(.doubleQuote)
            default:
                return nil
            }
            append(input, index, index + 3)
            return 3
        }
        return nil
    }

    /// The backslash command at `input[backslash]`: its name runs to the next whitespace or backslash (psql's
    /// lexer: `\a\t` is `\a` then `\t`), its argument text is the rest of the line after the whitespace that
    /// follows the name.
    private func command(_ input: UnsafeBufferPointer<UInt8>, backslashAt backslash: Int, lineNumber: Int) -> CommandInvocation {
        let count = input.count
        let nameStart = backslash + 1
        var nameEnd = min(nameStart + 1, count)
        while nameEnd < count, !SQLBytes.isSpace(input[nameEnd]), input[nameEnd] != UInt8(ascii: "\\") { nameEnd += 1 }
        var argumentStart = nameEnd
        while argumentStart < count, SQLBytes.isSpace(input[argumentStart]) { argumentStart += 1 }
        return CommandInvocation(
            name: String(decoding: UnsafeBufferPointer(rebasing: input[nameStart..<nameEnd]), as: UTF8.self),
            argumentText: String(decoding: UnsafeBufferPointer(rebasing: input[argumentStart..<count]), as: UTF8.self),
            line: lineNumber
        )
    }

    private mutating func scanSingleQuoted(_ input: UnsafeBufferPointer<UInt8>, from start: Int, backslashEscapes: Bool) -> Int {
        let count = input.count
        var index = start
        while index < count {
            let byte = input[index]
            if byte == UInt8(ascii: "'") {
                if index + 1 < count, input[index + 1] == UInt8(ascii: "'") {
                    index += 2
                    continue
                }
                index += 1
                append(input, start, index)
                lexState = .normal
                return index
            }
            if backslashEscapes, byte == UInt8(ascii: "\\") {
                // A backslash at the end of a line escapes nothing: the newline is not part of the line.
                index = min(index + 2, count)
                continue
            }
            index += 1
        }
        append(input, start, count)
        return count
    }

    private mutating func scanDoubleQuoted(_ input: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = input.count
        var index = start
        while index < count {
            if input[index] == UInt8(ascii: "\"") {
                if index + 1 < count, input[index + 1] == UInt8(ascii: "\"") {
                    index += 2
                    continue
                }
                index += 1
                append(input, start, index)
                lexState = .normal
                return index
            }
            index += 1
        }
        append(input, start, count)
        return count
    }

    private mutating func scanDollarQuoted(_ input: UnsafeBufferPointer<UInt8>, from start: Int, tag: [UInt8]) -> Int {
        let count = input.count
        var index = start
        while index < count {
            guard input[index] == UInt8(ascii: "$") else {
                index += 1
                continue
            }
            let (tagEnd, isDelimiter) = SQLBytes.dollarDelimiter(input, at: index)
            if isDelimiter, tagEnd - index - 1 == tag.count, input[(index + 1)..<tagEnd].elementsEqual(tag) {
                append(input, start, tagEnd + 1)
                lexState = .normal
                return tagEnd + 1
            }
            // Another tag (`$junk$`: its last `$` may open the real closing delimiter, so it is looked at again),
            // `$word` with no closing `$`, or a lone `$`. Each byte is passed over once, so this stays linear.
            index = tagEnd
        }
        append(input, start, count)
        return count
    }

    private mutating func scanBlockComment(_ input: UnsafeBufferPointer<UInt8>, from start: Int, depth: Int) -> Int {
        let count = input.count
        var depth = depth
        var index = start
        while index < count {
            let byte = input[index]
            if byte == UInt8(ascii: "/"), index + 1 < count, input[index + 1] == UInt8(ascii: "*") {
                depth += 1
                index += 2
                continue
            }
            if byte == UInt8(ascii: "*") {
                var end = index + 1
                while end < count, input[end] == UInt8(ascii: "*") { end += 1 }
                guard end < count, input[end] == UInt8(ascii: "/") else {
                    index = end
                    continue
                }
                index = end + 1
                if depth == 0 {
                    append(input, start, index)
                    lexState = .normal
                    return index
                }
                depth -= 1
                continue
            }
            index += 1
        }
        lexState = .blockComment(depth: depth)
        append(input, start, count)
        return count
    }

    // MARK: - Buffer

    private mutating func open(_ state: LexState) {
        lexState = state
        constructLine = currentLine
    }

    private mutating func append(_ input: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        guard end > start else { return }
        if runEnd > runStart {
            if start == runEnd {
                runEnd = end
                return
            }
            flushRun(input)
        } else if bytes.isEmpty {
            firstLine = currentLine
        }
        runStart = start
        runEnd = end
    }

    /// Copies the pending run of `input` into the buffer.
    private mutating func flushRun(_ input: UnsafeBufferPointer<UInt8>) {
        guard runEnd > runStart else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<runEnd]))
        runStart = 0
        runEnd = 0
    }

    /// Whether the buffer holds text, the pending run included.
    private var hasText: Bool { !bytes.isEmpty || runEnd > runStart }

    /// A variable's value, inserted as is (not scanned again); at the start of the buffer, without its leading whitespace.
    private mutating func appendSubstitution(_ value: String) {
        var text = Substring(value).utf8
        if bytes.isEmpty {
            text = text.drop(while: SQLBytes.isSpace)
            guard !text.isEmpty else { return }
            firstLine = currentLine
        }
        bytes.append(contentsOf: text)
    }
}
