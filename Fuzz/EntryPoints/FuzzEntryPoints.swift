#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CurateKit
import CurateShell

/// What the fuzz targets (Fuzz/Targets) and the corpus replay tests run on one input.
///
/// Each function derives its input from arbitrary bytes (invalid UTF-8 included), drives the product code,
/// and checks invariants that hold for every input. It returns the invariants that failed, as readable
/// sentences: empty means the input passed. A crash or a hang is a failure too, found by libFuzzer
/// (or by the test that replays the corpus).
public enum FuzzEntryPoints {
    // MARK: - Statement splitter

    /// Variables defined for the splitter and tokenizer targets: values with quotes, semicolons,
    /// backslashes, newlines, wide characters and nothing at all.
    static let variables: [String: String] = [
        "a": "1; DROP TABLE t",
        "q": "it's \"odd\"",
        "b": "back\\slash",
        "nl": "two\nlines",
        "e": "",
        "sp": "  spaced  ",
        "ñ": "ñandú 表",
        "x1": ":a",
    ]

    /// `:name` as is, `:'name'` as an SQL literal, `:"name"` as an identifier (as the shell quotes them).
    static func resolveDefined(_ reference: VariableReference) -> String? {
        guard let value = variables[reference.name] else { return nil }
        switch reference.quoting {
        case .none: return value
        case .literal: return "'" + value.replacingAll("'", with: "''") + "'"
        case .identifier: return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
        case .existence: return "TRUE"
        }
    }

    /// The bytes as input lines (split at `\n`, each decoded as the shell's input would be; invalid
    /// UTF-8 becomes U+FFFD here, where the shell drops such a line).
    static func lines(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Feeds the input's lines to a splitter twice: with variables defined, and with none defined.
    ///
    /// Invariants: every statement ended by the splitter ends with `;` and is not empty; line numbers
    /// never go backwards nor past the input; `finish()` returns or throws, and leaves the splitter
    /// empty. With no variable defined nothing is invented or reordered: the statements' text, in
    /// order, is a subsequence of the input (lines joined by `\n`) — what is not in it is what the
    /// splitter drops (leading whitespace and `--` comments, backslash commands, the `\` of `\;`
    /// and `\:`); each command's name follows a backslash on its own line.
    public static func splitter(_ bytes: [UInt8]) -> [String] {
        let lines = lines(bytes)
        var problems: [String] = []
        for defined in [true, false] {
            var splitter = StatementSplitter()
            var statements: [SQLStatement] = []
            var commands: [CommandInvocation] = []
            for (number, line) in lines.enumerated() {
                let items = splitter.feed(line: line, lineNumber: number + 1) { reference in
                    defined ? resolveDefined(reference) : nil
                }
                for item in items {
                    switch item {
                    case .statement(let statement):
                        // Bytes, not Characters: a `;` after a prepended mark (U+06DD) is not a Character of its own.
                        if statement.text.utf8.last != UInt8(ascii: ";") {
                            problems.append("statement without its ';': \(String(reflecting: statement.text))")
                        }
                        statements.append(statement)
                    case .command(let command):
                        commands.append(command)
                        if command.line != number + 1 {
                            problems.append("command \\\(command.name) on line \(command.line), fed on \(number + 1)")
                        }
                        if !defined, !contains(Array(line.utf8), Array(("\\" + command.name).utf8)) {
                            problems.append("command name \(String(reflecting: command.name)) not in its line")
                        }
                    }
                }
            }
            do {
                if let last = try splitter.finish() { statements.append(last) }
            } catch {
                if error.line < 0 || error.line > lines.count {
                    problems.append("error on line \(error.line) of \(lines.count)")
                }
            }
            if !splitter.bufferIsEmpty || splitter.openConstruct != .none {
                problems.append("the splitter is not empty after finish()")
            }
            var previous = 0
            for statement in statements {
                if statement.text.isEmpty { problems.append("an empty statement") }
                if statement.firstLine < previous || statement.firstLine > lines.count {
                    problems.append("statement first line \(statement.firstLine) after \(previous), of \(lines.count)")
                }
                previous = statement.firstLine
            }
            if !defined {
                let input = Array(lines.joined(separator: "\n").utf8)
                let output = Array(statements.map(\.text).joined().utf8)
                if !isSubsequence(output, of: input) {
                    problems.append("statements are not made of the input's text: \(String(reflecting: statements.map(\.text)))")
                }
            }
        }
        return problems
    }

    static func contains(_ large: [UInt8], _ small: [UInt8]) -> Bool {
        guard small.count <= large.count else { return false }
        return (0...(large.count - small.count)).contains { large[$0..<($0 + small.count)].elementsEqual(small) }
    }

    static func isSubsequence(_ small: [UInt8], of large: [UInt8]) -> Bool {
        var i = 0
        for byte in large where i < small.count && small[i] == byte { i += 1 }
        return i == small.count
    }

    // MARK: - Argument tokenizer

    /// Splits the input (its first line as a command's argument text, the rest too, line by line) with
    /// variables defined, then again with none.
    ///
    /// Invariants: the tokenizer returns words or throws `SplitterError` for the line given; text without
    /// quotes, backslashes or colons splits exactly at whitespace; and the words it returns, each
    /// single-quoted again (a `'` written `'\''`), split back into the same words.
    public static func tokenizer(_ bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        for (number, text) in lines(bytes).enumerated() {
            for defined in [true, false] {
                let words: [String]
                do {
                    words = try ArgumentTokenizer.split(text, line: number + 1) { defined ? resolveDefined($0) : nil }
                } catch {
                    if error.line != number + 1 { problems.append("error on line \(error.line), given \(number + 1)") }
                    continue
                }
                let special: Set<UInt8> = [0x27, 0x22, 0x5C, 0x3A]
                if !text.utf8.contains(where: special.contains) {
                    let plain = text.utf8.split(whereSeparator: { $0 == 0x20 || (0x09...0x0D).contains($0) })
                        .map { String(decoding: $0, as: UTF8.self) }
                    if plain != words {
                        problems.append("plain text \(String(reflecting: text)) split as \(words), not \(plain)")
                    }
                }
                let requoted = words.map { "'" + $0.replacingAll("'", with: "'\\''") + "'" }.joined(separator: " ")
                do {
                    let again = try ArgumentTokenizer.split(requoted, line: 1) { _ in nil }
                    if again != words {
                        problems.append("words \(words) quoted again split as \(again)")
                    }
                } catch {
                    problems.append("words \(words) quoted again do not split: \(error.message)")
                }
            }
        }
        return problems
    }

    // MARK: - Renderers

    /// A result derived from the bytes: the first byte chooses settings, the second the column count
    /// (1 to 6) and types; the rest, cut at each 0x00 byte, gives the column names then the values row
    /// by row (a value starting with 0x01 is NULL). Names and values keep whatever bytes they hold:
    /// invalid UTF-8, wide characters, newlines, tabs, quotes.
    struct RenderInput {
        var settings = OutputSettings()
        var columns: [ColumnDescription] = []
        var rows: [[[UInt8]?]] = []

        init(_ bytes: [UInt8]) {
            let flags = bytes.first ?? 0
            let shape = bytes.count > 1 ? bytes[1] : 0
            settings.expanded = [.off, .on, .auto][Int(flags & 0x03) % 3]
            settings.tuplesOnly = flags & 0x04 != 0
            settings.footer = flags & 0x08 == 0
            settings.nullDisplay = ["", "NULL", "∅ 表", "a,\"b\"\n"][Int((flags >> 4) & 0x03)]
            settings.csvFieldSeparator = [",", ";", "\t", "|"][Int((flags >> 6) & 0x03)]
            settings.terminalWidth = shape & 0x80 != 0 ? Int(shape & 0x0F) * 6 : nil
            settings.fieldSeparator = shape & 0x40 != 0 ? "|" : "\t"
            let columnCount = Int(shape & 0x07) % 6 + 1
            var cells = bytes.dropFirst(2).split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
            let typeBits = Int(shape >> 3) & 0x07
            for c in 0..<columnCount {
                let name = cells.isEmpty ? "" : String(decoding: cells.removeFirst(), as: UTF8.self)
                // text mostly; one int4 or bool column when the bits say so (their values made valid below).
                let type: UInt32 = c == 0 && typeBits == 1 ? TypeOID.int4 : c == 1 && typeBits == 2 ? TypeOID.bool : TypeOID.text
                columns.append(ColumnDescription(name: name, typeOID: type))
            }
            while !cells.isEmpty {
                var row: [[UInt8]?] = []
                for c in 0..<columnCount {
                    let cell = cells.isEmpty ? [] : cells.removeFirst()
                    if cell.first == 0x01 {
                        row.append(nil)
                    } else if columns[c].typeOID == TypeOID.int4 {
                        row.append(Array(String(cell.reduce(0) { ($0 &* 31 &+ Int32($1)) }).utf8))
                    } else if columns[c].typeOID == TypeOID.bool {
                        row.append(cell.count % 2 == 0 ? [0x74] : [0x66])
                    } else {
                        row.append(cell)
                    }
                }
                rows.append(row)
            }
        }
    }

    /// Renders the derived result in every format (aligned, expanded, unaligned, csv, json) and returns
    /// the problems found. Invariants: aligned, unaligned and csv output is valid UTF-8 (invalid input is
    /// dropped as psql does; the only exception is psql's own: the encoded surrogates its validation
    /// accepts, see `withoutPsqlSurrogates`); csv parses back into one record per row (plus the header) of one field per
    /// column (two per field, expanded), each field the value written as psql prints it (invalid UTF-8
    /// dropped) or the null display; json output
    /// is one valid JSON array of one object per row with one member per column.
    public static func renderers(_ bytes: [UInt8]) -> [String] {
        let input = RenderInput(bytes)
        var problems: [String] = []
        for format in OutputSettings.Format.allCases {
            var settings = input.settings
            settings.format = format
            let output = render(input, settings: settings)
            let name = "\(format)\(settings.expanded == .off ? "" : " \\x \(settings.expanded)")"
            if format != .json, !isValidUTF8(withoutPsqlSurrogates(output)) {
                problems.append("\(name) output is not valid UTF-8")
            }
            switch format {
            case .csv: problems += checkCSV(output, input: input, settings: settings)
            case .json: problems += checkJSON(output, input: input)
            default: break
            }
        }
        return problems
    }

    /// The bytes a renderer from `makeRenderer` writes for the input (a result set, then a command tag).
    static func render(_ input: RenderInput, settings: OutputSettings) -> [UInt8] {
        var template = Array("/tmp/curate-fuzz-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return [] }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        defer { close(fd) }
        do {
            let writer = OutputWriter(fileDescriptor: fd)
            let renderer = makeRenderer(settings: settings, writer: writer)
            renderer.begin(columns: input.columns)
            for row in input.rows { renderer.row(TextRowValues(bytes: row)) }
            renderer.end(commandTag: "SELECT \(input.rows.count)", rowCount: input.rows.count)
            writer.flush()
        }
        let size = Int(lseek(fd, 0, SEEK_END))
        _ = lseek(fd, 0, SEEK_SET)
        var bytes = [UInt8](repeating: 0, count: max(size, 0))
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            if n <= 0 { break }
            done += n
        }
        return Array(bytes[0..<done])
    }

    /// The json renderer's output for the result derived from the bytes (for the regression tests).
    public static func jsonOutput(_ bytes: [UInt8]) -> [UInt8] {
        let input = RenderInput(bytes)
        var settings = input.settings
        settings.format = .json
        return render(input, settings: settings)
    }

    /// The bytes without the encoded surrogates (ED A0-BF xx) that psql's `utf_charcheck` accepts (its
    /// quirk lets ED A4-AF xx and ED B4-BF xx through): aligned, unaligned and csv print them as psql
    /// does. Not for json, which must be strict UTF-8 (its renderer drops them).
    static func withoutPsqlSurrogates(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0xED, i + 2 < bytes.count, bytes[i + 1] >= 0xA0, bytes[i + 1] <= 0xBF,
               bytes[i + 2] & 0xC0 == 0x80, validated(Array(bytes[i...(i + 2)])).count == 3 {
                i += 3
                continue
            }
            result.append(bytes[i])
            i += 1
        }
        return result
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    // MARK: csv

    /// RFC 4180 records: fields separated by `separator`, records by `\n`; a field in `"` may hold
    /// anything, `""` standing for `"`. nil when a quoted field is not closed.
    static func parseCSV(_ bytes: [UInt8], separator: UInt8) -> [[[UInt8]]]? {
        var records: [[[UInt8]]] = []
        var record: [[UInt8]] = []
        var field: [UInt8] = []
        var index = 0
        var quoted = false
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == 0x22 {
                    if index + 1 < bytes.count, bytes[index + 1] == 0x22 {
                        field.append(0x22)
                        index += 2
                        continue
                    }
                    quoted = false
                } else {
                    field.append(byte)
                }
            } else if byte == 0x22 {
                quoted = true
            } else if byte == separator {
                record.append(field)
                field = []
            } else if byte == 0x0A {
                record.append(field)
                records.append(record)
                record = []
                field = []
            } else {
                field.append(byte)
            }
            index += 1
        }
        if quoted { return nil }
        if !record.isEmpty || !field.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }

    /// The bytes as psql prints them: invalid sequences (and the characters psql's `utf_charcheck`
    /// refuses, such as U+FFFFF) dropped.
    static func validated(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        guard !bytes.isEmpty else { return bytes }
        let n = bytes.withUnsafeMutableBufferPointer { DisplayWidth.dropInvalidSequences($0.baseAddress!, count: $0.count) }
        return Array(bytes[0..<n])
    }

    static func checkCSV(_ output: [UInt8], input: RenderInput, settings: OutputSettings) -> [String] {
        let separator = String(settings.csvFieldSeparator).utf8.first ?? 0x2C
        guard let records = parseCSV(output, separator: separator) else {
            return ["csv output has a quoted field that is not closed"]
        }
        let null = validated(Array(settings.nullDisplay.utf8))
        var expected: [[[UInt8]?]] = []
        if settings.expanded == .on {
            for row in input.rows {
                for (c, value) in row.enumerated() { expected.append([validated(Array(input.columns[c].name.utf8)), value.map(validated) ?? null]) }
            }
        } else {
            if !settings.tuplesOnly { expected.append(input.columns.map { validated(Array($0.name.utf8)) }) }
            expected += input.rows.map { $0.map { $0.map(validated) ?? null } }
        }
        guard records.count == expected.count else {
            return ["csv output has \(records.count) records, \(expected.count) expected"]
        }
        var problems: [String] = []
        for (record, want) in zip(records, expected) {
            guard record.count == want.count else {
                problems.append("a csv record has \(record.count) fields, \(want.count) expected")
                continue
            }
            for (field, value) in zip(record, want) where field != value! {
                problems.append("csv field \(String(reflecting: String(decoding: field, as: UTF8.self))) for \(String(reflecting: String(decoding: value!, as: UTF8.self)))")
            }
        }
        return problems
    }

    /// The csv check on given output, for the tests of the check itself (default settings, text columns).
    public static func csvProblems(output: [UInt8], columns: [String], rows: [[String?]]) -> [String] {
        var input = RenderInput([])
        input.columns = columns.map { ColumnDescription(name: $0, typeOID: TypeOID.text) }
        input.rows = rows.map { $0.map { $0.map { Array($0.utf8) } } }
        return checkCSV(output, input: input, settings: OutputSettings())
    }

    /// The json check's reading of given output: each object's member count, nil when not valid.
    public static func jsonShape(_ output: [UInt8]) -> [Int]? {
        var parser = JSONChecker(bytes: output)
        return parser.document()
    }

    // MARK: json

    static func checkJSON(_ output: [UInt8], input: RenderInput) -> [String] {
        var parser = JSONChecker(bytes: output)
        guard let shape = parser.document() else {
            return ["json output is not one JSON value: \(String(reflecting: String(decoding: output.prefix(400), as: UTF8.self)))"]
        }
        guard shape.count == input.rows.count else {
            return ["json array has \(shape.count) objects, \(input.rows.count) rows given"]
        }
        if let wrong = shape.first(where: { $0 != input.columns.count }) {
            return ["a json object has \(wrong) members, \(input.columns.count) columns given"]
        }
        return []
    }
}

/// A strict JSON syntax check (RFC 8259) that also reports the top-level array's shape: the member
/// count of each object in it.
struct JSONChecker {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The array's objects' member counts, or nil when the text is not one JSON array of objects.
    mutating func document() -> [Int]? {
        skipSpace()
        guard peek == 0x5B else { return nil }
        index += 1
        var shape: [Int] = []
        skipSpace()
        if peek == 0x5D {
            index += 1
        } else {
            while true {
                skipSpace()
                guard peek == 0x7B, let members = object() else { return nil }
                shape.append(members)
                skipSpace()
                if peek == 0x2C { index += 1; continue }
                guard peek == 0x5D else { return nil }
                index += 1
                break
            }
        }
        skipSpace()
        return index == bytes.count ? shape : nil
    }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpace() {
        while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { index += 1 }
    }

    mutating func value() -> Bool {
        skipSpace()
        switch peek {
        case 0x7B: return object() != nil
        case 0x5B:
            index += 1
            skipSpace()
            if peek == 0x5D { index += 1; return true }
            while true {
                guard value() else { return false }
                skipSpace()
                if peek == 0x2C { index += 1; continue }
                guard peek == 0x5D else { return false }
                index += 1
                return true
            }
        case 0x22: return string()
        case 0x74: return literal("true")
        case 0x66: return literal("false")
        case 0x6E: return literal("null")
        default: return number()
        }
    }

    mutating func object() -> Int? {
        index += 1
        skipSpace()
        if peek == 0x7D { index += 1; return 0 }
        var members = 0
        while true {
            skipSpace()
            guard peek == 0x22, string() else { return nil }
            skipSpace()
            guard peek == 0x3A else { return nil }
            index += 1
            guard value() else { return nil }
            members += 1
            skipSpace()
            if peek == 0x2C { index += 1; continue }
            guard peek == 0x7D else { return nil }
            index += 1
            return members
        }
    }

    mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<(index + w.count)]) == w else { return false }
        index += w.count
        return true
    }

    mutating func number() -> Bool {
        let start = index
        if peek == 0x2D { index += 1 }
        func digits() -> Int {
            let s = index
            while let b = peek, (0x30...0x39).contains(b) { index += 1 }
            return index - s
        }
        guard digits() > 0 else { return false }
        if bytes[start] == 0x2D ? bytes[start + 1] == 0x30 && index - start > 2 : bytes[start] == 0x30 && index - start > 1 {
            return false
        }
        if peek == 0x2E { index += 1; guard digits() > 0 else { return false } }
        if peek == 0x65 || peek == 0x45 {
            index += 1
            if peek == 0x2B || peek == 0x2D { index += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }

    /// A string: no raw control characters, valid escapes, valid UTF-8.
    mutating func string() -> Bool {
        index += 1
        let start = index
        while let b = peek {
            if b == 0x22 {
                let ok = FuzzEntryPoints.isValidUTF8(Array(bytes[start..<index]))
                index += 1
                return ok
            }
            if b < 0x20 { return false }
            if b == 0x5C {
                index += 1
                guard let e = peek else { return false }
                if e == 0x75 {
                    guard index + 5 <= bytes.count,
                          bytes[(index + 1)..<(index + 5)].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
                    else { return false }
                    index += 5
                    continue
                }
                guard [0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74].contains(e) else { return false }
            }
            index += 1
        }
        return false
    }
}

extension String {
    /// Every occurrence of the ASCII character `target` replaced, byte by byte (a quote followed by a
    /// combining mark is still a quote to the tokenizer and the server); no Foundation.
    func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        var result: [UInt8] = []
        for byte in utf8 {
            if byte == UInt8(target.value) { result += replacement.utf8 } else { result.append(byte) }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
