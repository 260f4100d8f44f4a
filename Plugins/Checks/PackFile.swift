import CurateKit

import Foundation

/// One problem in a check pack file, at a line.
public struct PackFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: message`, as compilers print it.
    public var description: String { "\(path):\(line): \(message)" }
}

/// Everything wrong with one pack file (the file is skipped as a whole).
public struct PackFileErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [PackFileError]

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// A check pack read from a file (`NAME.pack.sql`): checks and fixes declared in annotated SQL,
/// run by `\check` and `\fix` exactly like the built-in ones. The format is described in
/// docs/plugins.md ("Check packs"); in short:
///
/// ```sql
/// -- pack: archive-extra
/// -- version: 1.0
/// -- description: More rules for the FITS archive
///
/// -- check: compressed-flag-mismatch
/// -- severity: warning
/// -- description: diskfile.compressed disagrees with the .bz2 ending of its filename
/// -- tables: diskfile
/// SELECT d.id, d.filename, d.compressed FROM diskfile d
/// WHERE d.compressed IS DISTINCT FROM (d.filename LIKE '%.bz2') ORDER BY d.id;
///
/// -- fix: compressed-flag-mismatch
/// -- summary: set compressed from the filename
/// -- table: diskfile
/// -- key: id
/// -- set: compressed
/// -- lock:
/// SELECT d.id AS scope FROM diskfile d WHERE ... AND {where d} ORDER BY d.id FOR UPDATE;
/// -- target:
/// SELECT d.id, d.filename LIKE '%.bz2' AS compressed FROM diskfile d WHERE d.id = ANY($1::integer[]) AND ...;
/// ```
public struct PackFile: Sendable {
    /// The file it was read from.
    public var path: String
    public var version: String
    /// The line of `-- pack:` (1 when the pack is named after the file).
    public var line: Int
    public var pack: CheckPack
    /// The line of each check's `-- check:`, for messages.
    public var checkLines: [String: Int]
    /// The line of each fix's `-- fix:` (or `-- no-fix:`), by check name, for messages.
    public var fixLines: [String: Int] = [:]

    /// The file name ending pack files have.
    public static let suffix = ".pack.sql"

    /// What a pack's version is when the file does not say.
    public static let noVersion = "-"

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(PackFileErrors) -> PackFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PackFileErrors(errors: [PackFileError(path: path, line: 0, message: "cannot read the file: \(error.localizedDescription)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PackFileErrors(errors: [PackFileError(path: path, line: 1, message: "the file is not UTF-8 text")])
        }
        return try parse(text, path: path)
    }

    /// Parses pack file text; `path` names it in messages and gives the default pack name.
    public static func parse(_ text: String, path: String) throws(PackFileErrors) -> PackFile {
        var parser = PackFileParser(path: path)
        parser.parse(text)
        if !parser.errors.isEmpty { throw PackFileErrors(errors: parser.errors) }
        return parser.result()
    }
}

/// The keys each kind of block takes (`-- key: value` lines before its SQL).
enum PackKeys {
    static let starters: Set<String> = ["pack", "check", "fix"]
    static let pack: [String] = ["version", "description", "relation"]
    static let check: [String] = ["severity", "description", "tables", "extension", "param", "no-fix", "rows", "primary-only"]
    static let fix: [String] = ["summary", "table", "key", "scope-type", "set", "transactional", "param"]
    /// Keys that may be given more than once.
    static let repeatable: Set<String> = ["param", "relation"]
    /// Keys that start an SQL section of a fix.
    static let fixSections: [String] = ["lock", "target", "generate"]
}

/// A `-- key: value` line.
struct Directive {
    var key: String
    var value: String
    var line: Int

    /// The directive on `text`, when it is one: `--`, optional spaces, a lower-case word
    /// (letters, digits, `-`), a colon, the value. Only at the start of a line.
    static func parse(_ text: Substring, line: Int) -> Directive? {
        guard text.hasPrefix("--") else { return nil }
        var rest = text.dropFirst(2)
        rest = rest.drop(while: { $0 == " " || $0 == "\t" })
        guard let first = rest.first, first.isASCII, first.isLowercase else { return nil }
        let key = rest.prefix(while: { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" })
        let afterKey = rest.dropFirst(key.count)
        guard afterKey.first == ":" else { return nil }
        let value = afterKey.dropFirst().trimmingCharacters(in: .whitespaces)
        return Directive(key: String(key), value: value, line: line)
    }
}

/// SQL lines of one section, with their line numbers in the file.
struct SQLSection {
    var name: String
    /// The line of the directive that opened it (or of the first SQL line, for a check).
    var line: Int
    var lines: [(number: Int, text: String)] = []

    var text: String { lines.map(\.text).joined(separator: "\n") }

    /// The file line of a byte offset into `text`.
    func fileLine(ofOffset offset: Int) -> Int {
        var remaining = offset
        for entry in lines {
            let length = entry.text.utf8.count + 1
            if remaining < length { return entry.number }
            remaining -= length
        }
        return lines.last?.number ?? line
    }
}

/// One block of the file: the pack header, a check, or a fix.
struct Block {
    enum Kind { case pack, check, fix }
    var kind: Kind
    var name: String
    var line: Int
    var directives: [Directive] = []
    var sections: [SQLSection] = []
    /// True once SQL has started (header keys are then out of place).
    var inSQL: Bool { !sections.isEmpty }

    func value(_ key: String) -> Directive? { directives.first { $0.key == key } }
    func values(_ key: String) -> [Directive] { directives.filter { $0.key == key } }
    func section(_ name: String) -> SQLSection? { sections.first { $0.name == name } }

    var kindName: String {
        switch kind {
        case .pack: return "pack"
        case .check: return "check"
        case .fix: return "fix"
        }
    }
}

struct PackFileParser {
    let path: String
    var errors: [PackFileError] = []
    var blocks: [Block] = []
    var current: Block?

    var packName: String?
    var packLine = 1
    var version = PackFile.noVersion
    var packDescription = ""
    var checks: [CheckDefinition] = []
    var fixes: [FixDefinition] = []
    var checkLines: [String: Int] = [:]
    var fixLines: [String: Int] = [:]
    /// `-- relation:` lines of the pack header (for `\row`).
    var relations: [DeclaredRelation] = []

    init(path: String) { self.path = path }

    mutating func error(_ line: Int, _ message: String) {
        errors.append(PackFileError(path: path, line: line, message: message))
    }

    /// The default pack name: the file's name without `.pack.sql`.
    var fileStem: String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        if name.hasSuffix(PackFile.suffix) { name.removeLast(PackFile.suffix.count) }
        return name
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
    }

    /// A table as SQL names it: identifiers or double-quoted names, separated by dots.
    static func isTableName(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        var parts: [String] = []
        var part = ""
        var quoted = false
        for character in name {
            if character == "\"" { quoted.toggle(); part.append(character); continue }
            if character == "." && !quoted { parts.append(part); part = ""; continue }
            part.append(character)
        }
        parts.append(part)
        if quoted || parts.count > 3 { return false }
        return parts.allSatisfy { $0.hasPrefix("\"") ? ($0.count > 2 && $0.hasSuffix("\"")) : isIdentifier($0) }
    }

    static func isComment(_ text: Substring) -> Bool {
        text.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("--")
    }

    static func isBlank(_ text: Substring) -> Bool {
        text.allSatisfy { $0 == " " || $0 == "\t" }
    }

    // MARK: Lines

    mutating func parse(_ text: String) {
        var number = 0
        // "\r\n" is one Character in Swift: split on both line ends.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var line = rawLine
            if line.hasSuffix("\r") { line = line.dropLast() }
            take(line, number: number)
        }
        finishBlock()
        if packName == nil { packName = fileStem }
        if let packName, !Self.isValidName(packName) {
            error(1, "the pack has no valid name: start the file with -- pack: NAME (letters, digits, -, _)")
        }
        if checks.isEmpty && errors.isEmpty {
            error(max(number - (text.hasSuffix("\n") ? 1 : 0), 1), "the file declares no check (-- check: NAME, then its SQL)")
        }
    }

    mutating func take(_ line: Substring, number: Int) {
        if let directive = Directive.parse(line, line: number) {
            if PackKeys.starters.contains(directive.key) {
                startBlock(directive)
                return
            }
            guard var block = current else {
                error(number, "-- \(directive.key): comes before any -- pack:, -- check: or -- fix: line")
                return
            }
            defer { current = block }
            if block.kind == .fix && PackKeys.fixSections.contains(directive.key) {
                if let earlier = block.section(directive.key) {
                    error(number, "-- \(directive.key): appears twice in fix \(block.name) (first at line \(earlier.line))")
                    return
                }
                var section = SQLSection(name: directive.key, line: number)
                if !directive.value.isEmpty { section.lines.append((number, directive.value)) }
                block.sections.append(section)
                return
            }
            let keys = keys(for: block.kind)
            if keys.contains(directive.key) {
                if block.inSQL {
                    error(number, "-- \(directive.key): must come before the SQL of \(block.kindName) \(block.name) (in its header, after line \(block.line))")
                    return
                }
                if !PackKeys.repeatable.contains(directive.key), let earlier = block.value(directive.key) {
                    error(number, "-- \(directive.key): appears twice in \(block.kindName) \(block.name) (first at line \(earlier.line))")
                    return
                }
                block.directives.append(directive)
                return
            }
            if !block.inSQL {
                var known = keys
                if block.kind == .fix { known += PackKeys.fixSections }
                error(number, "unknown key \"\(directive.key)\" in \(block.kindName) \(block.name); known: \(known.joined(separator: ", "))"
                      + " (a comment must not start with a word and a colon)")
                return
            }
            // Inside SQL: an ordinary comment.
            block.sections[block.sections.count - 1].lines.append((number, String(line)))
            return
        }
        guard var block = current else {
            if Self.isBlank(line) || Self.isComment(line) { return }
            error(number, "SQL outside a check: start the file with -- pack: NAME or -- check: NAME")
            return
        }
        defer { current = block }
        switch block.kind {
        case .pack:
            if Self.isBlank(line) || Self.isComment(line) { return }
            error(number, "SQL in the pack's header: start a check with -- check: NAME before its SQL")
        case .check:
            if !block.inSQL {
                if Self.isBlank(line) || Self.isComment(line) { return }
                block.sections.append(SQLSection(name: "sql", line: number))
            }
            block.sections[block.sections.count - 1].lines.append((number, String(line)))
        case .fix:
            if !block.inSQL {
                if Self.isBlank(line) || Self.isComment(line) { return }
                error(number, "SQL in fix \(block.name) before -- lock: / -- target: (a row fix) or -- generate: (a statement fix)")
                // Only the first such line is reported.
                block.sections.append(SQLSection(name: "(misplaced)", line: number))
                return
            }
            block.sections[block.sections.count - 1].lines.append((number, String(line)))
        }
    }

    func keys(for kind: Block.Kind) -> [String] {
        switch kind {
        case .pack: return PackKeys.pack
        case .check: return PackKeys.check
        case .fix: return PackKeys.fix
        }
    }

    mutating func startBlock(_ directive: Directive) {
        finishBlock()
        let kind: Block.Kind
        switch directive.key {
        case "pack": kind = .pack
        case "check": kind = .check
        default: kind = .fix
        }
        if kind == .pack {
            if let packName {
                error(directive.line, "a second -- pack: line (the file is pack \(packName), from line \(packLine)); one pack per file")
            } else if !blocks.isEmpty {
                error(directive.line, "-- pack: must come first in the file, before any check or fix")
            }
        }
        if directive.value.isEmpty {
            error(directive.line, "-- \(directive.key): needs a name")
        } else if !Self.isValidName(directive.value) {
            error(directive.line, "\"\(directive.value)\" is not a valid \(directive.key) name (letters, digits, -, _ and ., starting with a letter or digit)")
        }
        if kind == .pack && packName == nil {
            packName = directive.value
            packLine = directive.line
        }
        current = Block(kind: kind, name: directive.value, line: directive.line)
    }

    mutating func finishBlock() {
        guard let block = current else { return }
        current = nil
        blocks.append(block)
        switch block.kind {
        case .pack:
            if let version = block.value("version") {
                if version.value.isEmpty { error(version.line, "-- version: is empty") } else { self.version = version.value }
            }
            packDescription = block.value("description")?.value ?? ""
            for directive in block.values("relation") {
                if let relation = DeclaredRelation.parse(directive.value),
                   Self.isTableName(relation.table), Self.isTableName(relation.referencedTable) {
                    relations.append(relation)
                } else {
                    error(directive.line, "-- relation: is TABLE.COLUMN -> TABLE.COLUMN (or TABLE.(A, B) -> TABLE.(C, D)), not \"\(directive.value)\"")
                }
            }
        case .check: finishCheck(block)
        case .fix: finishFix(block)
        }
    }

    // MARK: Values

    /// `NAME [= DEFAULT] [| DESCRIPTION]`; DEFAULT may be single-quoted ('' for a quote).
    mutating func parameter(_ directive: Directive) -> CheckParameter? {
        var rest = Substring(directive.value)
        let name = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
        guard !name.isEmpty, Self.isIdentifier(String(name)) else {
            error(directive.line, "-- param: needs a shell variable name first: -- param: NAME = DEFAULT | description")
            return nil
        }
        rest = rest.dropFirst(name.count).drop(while: { $0 == " " || $0 == "\t" })
        var defaultValue: String? = nil
        if rest.first == "=" {
            rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
            if rest.first == "'" {
                var value = ""
                var index = rest.index(after: rest.startIndex)
                var closed = false
                while index < rest.endIndex {
                    let character = rest[index]
                    if character == "'" {
                        let next = rest.index(after: index)
                        if next < rest.endIndex && rest[next] == "'" {
                            value.append("'")
                            index = rest.index(after: next)
                            continue
                        }
                        closed = true
                        index = next
                        break
                    }
                    value.append(character)
                    index = rest.index(after: index)
                }
                guard closed else {
                    error(directive.line, "-- param: \(name): the quoted default has no closing quote")
                    return nil
                }
                defaultValue = value
                rest = rest[index...].drop(while: { $0 == " " || $0 == "\t" })
            } else {
                let value = rest.prefix(while: { $0 != "|" })
                rest = rest.dropFirst(value.count)
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else {
                    error(directive.line, "-- param: \(name): nothing after = (leave out \"=\" for no default, which is NULL)")
                    return nil
                }
                defaultValue = trimmed
            }
        }
        var description = ""
        if rest.first == "|" {
            description = rest.dropFirst().trimmingCharacters(in: .whitespaces)
        } else if !rest.isEmpty {
            error(directive.line, "-- param: \(name): unexpected \"\(rest)\" (write: -- param: NAME = DEFAULT | description)")
            return nil
        }
        return CheckParameter(variable: String(name), defaultValue: defaultValue, description: description)
    }

    /// Names separated by commas, spaces or tabs; a double-quoted part (`"we""ird; tab"`) keeps its
    /// separators.
    static func list(_ value: String) -> [String] {
        var names: [String] = []
        var name = ""
        var quoted = false
        for character in value {
            if character == "\"" { quoted.toggle() }
            if !quoted, character == "," || character == " " || character == "\t" {
                if !name.isEmpty { names.append(name) }
                name = ""
            } else {
                name.append(character)
            }
        }
        if !name.isEmpty { names.append(name) }
        return names
    }

    /// The one statement of a section, without its closing semicolon, after checking that it
    /// is one statement and uses exactly the parameters `$1...$count`.
    mutating func statement(_ section: SQLSection, owner: String, parameterCount: Int, parameterHelp: String) -> (sql: String, scan: SQLScan)? {
        var text = section.text
        var scan = SQLScan(text)
        if scan.isEmpty {
            error(section.line, "\(owner) has no SQL")
            return nil
        }
        if let first = scan.semicolons.first {
            if let next = scan.firstCode(after: first) {
                error(section.fileLine(ofOffset: next), "\(owner): more than one statement (one statement per section; this one begins after the ; of line \(section.fileLine(ofOffset: first)))")
                return nil
            }
            text = String(decoding: Array(text.utf8)[..<first], as: UTF8.self)
            scan = SQLScan(text)
        }
        while text.last?.isWhitespace == true { text.removeLast() }
        var ok = true
        if section.name != "lock" {
            // Only the lock query's placeholders are replaced: anywhere else one would reach the server as written.
            for placeholder in PackPlaceholder.all(in: text) {
                error(section.fileLine(ofOffset: placeholder.start), "\(owner): {\(placeholder.body)\(placeholder.isClosed ? "}" : "")"
                      + " is not replaced here; the only placeholder is {where ALIAS}, in a row fix's -- lock: query")
                ok = false
            }
        }
        var used = Set<Int>()
        for parameter in scan.parameters {
            if parameter.number < 1 || parameter.number > parameterCount {
                error(section.fileLine(ofOffset: parameter.offset), "\(owner) uses $\(parameter.number), but \(parameterHelp)")
                ok = false
            } else {
                used.insert(parameter.number)
            }
        }
        if ok {
            let unused = (1...max(parameterCount, 1)).filter { $0 <= parameterCount && !used.contains($0) }
            if !unused.isEmpty {
                error(section.line, "\(owner) does not use " + unused.map { "$\($0)" }.joined(separator: ", ")
                      + " (\(parameterHelp); PostgreSQL refuses a parameter the statement never mentions: use it, e.g. $\(unused[0]) IS NOT NULL OR true)")
                ok = false
            }
        }
        return ok ? (text, scan) : nil
    }

    static func parameterNames(_ parameters: [CheckParameter], from first: Int) -> String {
        if parameters.isEmpty { return "no parameters are declared (-- param:)" }
        return "the parameters are " + parameters.enumerated().map { "$\(first + $0.offset) = \($0.element.variable)" }.joined(separator: ", ")
    }

    // MARK: Checks

    mutating func finishCheck(_ block: Block) {
        let name = block.name
        let errorsBefore = errors.count
        if let earlier = checkLines[name] {
            error(block.line, "check \(name) is declared twice in this file (first at line \(earlier))")
        }
        var severity = Severity.warning
        if let value = block.value("severity") {
            if let parsed = Severity(rawValue: value.value.lowercased()) {
                severity = parsed
            } else {
                error(value.line, "unknown severity \"\(value.value)\" for check \(name); use info, warning or error")
            }
        } else {
            error(block.line, "check \(name) has no -- severity: (info, warning or error)")
        }
        let description = block.value("description")?.value ?? ""
        if description.isEmpty {
            error(block.value("description")?.line ?? block.line, "check \(name) has no -- description: (one line for \\check --list)")
        }
        var tables: [String] = []
        if let value = block.value("tables") {
            tables = Self.list(value.value)
            if tables.isEmpty { error(value.line, "-- tables: is empty (leave the line out when the check needs no table)") }
            for table in tables where !Self.isTableName(table) {
                error(value.line, "\"\(table)\" is not a table name (schema.table, or \"Quoted\" names)")
            }
        }
        var requiredExtension: String? = nil
        if let value = block.value("extension") {
            if Self.isIdentifier(value.value) { requiredExtension = value.value } else { error(value.line, "-- extension: needs one extension name") }
        }
        let parameters = block.values("param").compactMap { parameter($0) }
        var query: String? = nil
        if let section = block.section("sql") {
            query = statement(section, owner: "check \(name)", parameterCount: parameters.count,
                              parameterHelp: Self.parameterNames(parameters, from: 1))?.sql
        } else {
            error(block.line, "check \(name) has no SQL: write the query that returns the offending rows after its header")
        }
        if let primaryOnly = block.value("primary-only"), primaryOnly.value.isEmpty {
            error(primaryOnly.line, "-- primary-only: needs the reason (why the check's answer on a standby would be wrong)")
        }
        if let noFix = block.value("no-fix"), noFix.value.isEmpty {
            error(noFix.line, "-- no-fix: needs the reason (what to do by hand)")
        }
        var rowNames: [FindingRowName] = []
        if let value = block.value("rows") {
            if let parsed = FindingRowName.parseList(value.value) {
                rowNames = parsed
            } else {
                error(value.line, "-- rows: is COLUMN -> TABLE.COLUMN, ... (the finding's columns that name rows), not \"\(value.value)\"")
            }
        }
        guard errors.count == errorsBefore, let query else { return }
        checkLines[name] = block.line
        checks.append(CheckDefinition(
            name: name, pack: "", severity: severity, description: description,
            requiredTables: tables, requiredExtension: requiredExtension,
            query: .sql(query), parameters: parameters,
            // A pack's check only reads: a statement that would write fails instead.
            settings: [QuerySetting("transaction_read_only", "on")]))
        checks[checks.count - 1].rowNames = rowNames
        checks[checks.count - 1].primaryOnly = block.value("primary-only")?.value
        if let noFix = block.value("no-fix") {
            fixes.append(FixDefinition(check: name, summary: "no safe automatic repair: " + noFix.value, kind: .none(noFix.value)))
            fixLines[name] = noFix.line
        }
    }

    // MARK: Fixes

    mutating func finishFix(_ block: Block) {
        let name = block.name
        let errorsBefore = errors.count
        let checkParameters: [CheckParameter]
        var checkSQL: String? = nil
        if let check = checks.first(where: { $0.name == name }) {
            checkParameters = check.parameters
            if case .sql(let sql) = check.query { checkSQL = sql }
        } else if let checkBlock = blocks.dropLast().last(where: { $0.kind == .check && $0.name == name }) {
            // The check has errors of its own (reported already): its fix is still checked, so
            // that one round reports every problem of the file.
            var quiet = PackFileParser(path: path)
            checkParameters = checkBlock.values("param").compactMap { quiet.parameter($0) }
        } else {
            error(block.line, "fix \(name): no check \(name) before it in this file (a fix follows its check)")
            return
        }
        if let earlier = fixLines[name] {
            error(block.line, "check \(name) already has a fix (line \(earlier)); one fix per check")
            return
        }
        let summary = block.value("summary")?.value ?? ""
        if summary.isEmpty {
            error(block.value("summary")?.line ?? block.line, "fix \(name) has no -- summary: (what it changes and why that is safe, shown before the preview)")
        }
        let parameters = checkParameters + block.values("param").compactMap { parameter($0) }
        let hasRows = block.section("lock") != nil || block.section("target") != nil
        let generate = block.section("generate")
        if block.section("(misplaced)") != nil { return }
        var kind: FixKind? = nil
        if hasRows && generate != nil {
            error(generate!.line, "fix \(name) has both -- lock:/-- target: (a row fix) and -- generate: (a statement fix); choose one")
        } else if let generate {
            for key in ["table", "key", "scope-type", "set"] {
                if let directive = block.value(key) { error(directive.line, "-- \(key): belongs to a row fix (-- lock: and -- target:), not to a statement fix") }
            }
            var transactional = true
            if let value = block.value("transactional") {
                switch value.value.lowercased() {
                case "yes", "true", "on": transactional = true
                case "no", "false", "off": transactional = false
                default: error(value.line, "-- transactional: is yes or no, not \"\(value.value)\"")
                }
            }
            if let sql = statement(generate, owner: "fix \(name) (-- generate:)", parameterCount: parameters.count,
                                   parameterHelp: Self.parameterNames(parameters, from: 1))?.sql {
                kind = .statements(StatementFix(generator: sql, transactional: transactional))
            }
        } else if hasRows {
            kind = rowFix(block, parameters: parameters).map { .rows($0) }
            if case .rows(let rowFix)? = kind, let checkSQL,
               let tableParts = PackTableReference.nameParts(rowFix.table) {
                // A fix repairs what its check finds: it may change rows of a table the check reads, no other.
                let read = PackTableReference.all(in: checkSQL)
                if !read.contains(where: { $0.sameTable(as: tableParts) }) {
                    let names = Array(Set(read.map(\.displayName))).sorted()
                    error(block.value("table")?.line ?? block.line, "fix \(name) changes table \(rowFix.table) (-- table:), which the query of check \(name) does not read"
                          + (names.isEmpty ? "" : " (it reads \(names.joined(separator: ", ")))") + "; a fix may only change rows of a table its check reads")
                }
            }
        } else {
            error(block.line, "fix \(name) has no SQL: a row fix needs -- lock: and -- target:, a statement fix -- generate:")
        }
        guard errors.count == errorsBefore, let kind else { return }
        fixes.append(FixDefinition(check: name, summary: summary, kind: kind, parameters: parameters))
        fixLines[name] = block.line
    }

    mutating func rowFix(_ block: Block, parameters: [CheckParameter]) -> RowFix? {
        let name = block.name
        if let value = block.value("transactional") {
            error(value.line, "-- transactional: belongs to a statement fix (-- generate:); a row fix always runs in a transaction")
        }
        func required(_ key: String, _ what: String) -> Directive? {
            guard let directive = block.value(key), !directive.value.isEmpty else {
                error(block.value(key)?.line ?? block.line, "fix \(name) has no -- \(key): (\(what))")
                return nil
            }
            return directive
        }
        let table = required("table", "the table whose rows it changes")
        if let table, !Self.isTableName(table.value) { error(table.line, "\"\(table.value)\" is not a table name") }
        let key = required("key", "the column that identifies a row, usually its primary key")
        if let key, !Self.isIdentifier(key.value) { error(key.line, "-- key: is one column name, not \"\(key.value)\"") }
        let set = required("set", "the columns it changes")
        let columns = set.map { Self.list($0.value) } ?? []
        if let set {
            for column in columns where !Self.isIdentifier(column) { error(set.line, "\"\(column)\" is not a column name") }
            if let key, columns.contains(key.value) { error(set.line, "-- set: cannot change the key column \(key.value)") }
        }
        var scopeType = "text"
        if let value = block.value("scope-type") {
            if value.value.isEmpty { error(value.line, "-- scope-type: is empty") } else { scopeType = value.value }
        }
        var lockSQL: String? = nil
        if let section = block.section("lock") {
            if let (sql, scan) = statement(section, owner: "fix \(name) (-- lock:)", parameterCount: parameters.count,
                                           parameterHelp: Self.parameterNames(parameters, from: 1)) {
                let words = scan.words
                let locks = words.indices.contains { index in
                    words[index] == "FOR" && (words.dropFirst(index + 1).first == "UPDATE"
                        || Array(words.dropFirst(index + 1).prefix(3)) == ["NO", "KEY", "UPDATE"])
                }
                if !locks {
                    error(section.line, "fix \(name): the -- lock: query must lock the rows it reads (SELECT ... FOR UPDATE)")
                }
                if !Self.hasWherePlaceholder(sql) {
                    error(section.line, "fix \(name): the -- lock: query needs {where ALIAS} in its WHERE clause (e.g. AND {where d}), so that \\fix --where can narrow it")
                } else if let table {
                    checkPlaceholders(sql, section: section, fix: name, table: table.value)
                }
                lockSQL = sql
            }
        } else {
            error(block.line, "fix \(name) has -- target: but no -- lock: (the query that locks the rows, returning a column scope)")
        }
        var targetSQL: String? = nil
        if let section = block.section("target") {
            let help = "in -- target: $1 is the locked scope values (an array: $1::\(scopeType)[])"
                + (parameters.isEmpty ? "" : " and " + Self.parameterNames(parameters, from: 2).replacingOccurrencesOf("the parameters are ", with: ""))
            targetSQL = statement(section, owner: "fix \(name) (-- target:)", parameterCount: parameters.count + 1, parameterHelp: help)?.sql
        } else {
            error(block.line, "fix \(name) has -- lock: but no -- target: (the query returning the key and the new values)")
        }
        guard let table, let key, !columns.isEmpty, let lockSQL, let targetSQL else { return nil }
        return RowFix(table: table.value, key: key.value, scopeType: scopeType, setColumns: columns, lock: lockSQL, target: targetSQL)
    }

    /// `{where ALIAS}` (what `\fix --where` becomes) is there, outside strings and comments.
    static func hasWherePlaceholder(_ sql: String) -> Bool {
        PackPlaceholder.all(in: sql).contains { $0.whereAlias != nil && $0.isClosed }
    }

    /// Each placeholder of the lock query checked against the fix's table (see `PackPlaceholder.problems`).
    mutating func checkPlaceholders(_ sql: String, section: SQLSection, fix name: String, table: String) {
        for problem in PackPlaceholder.problems(lock: sql, table: table) {
            error(section.fileLine(ofOffset: problem.offset), "fix \(name) (-- lock:): \(problem.message)")
        }
    }

    func result() -> PackFile {
        let name = packName ?? fileStem
        let packChecks = checks.map { check -> CheckDefinition in
            var check = check
            check.pack = name
            return check
        }
        return PackFile(
            path: path, version: version, line: packLine,
            pack: CheckPack(name: name, description: packDescription, checks: packChecks, fixes: fixes, relations: relations),
            checkLines: checkLines, fixLines: fixLines)
    }
}
