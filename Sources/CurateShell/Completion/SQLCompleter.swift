import CurateKit

/// Tab completion for SQL: keywords in the case being typed, table and schema names where a
/// table belongs, column names where a column belongs (the columns of the tables the statement
/// names first), `alias.column` and `schema.table`. Names that need quotes are offered quoted.
///
/// Candidates are whole replacements for the word the line editor completes (the text back to
/// whitespace or one of `(),;=<>+*|`, as `CompletionProvider.currentWord`): `public.dis` gives
/// `public.diskfile`, `x::te` gives `x::text`. They come in groups, each sorted, without
/// duplicates, at most `maximumCandidates`: in a column position the preferred columns, then
/// other columns and functions, then keywords.
enum SQLCompleter {
    static let maximumCandidates = 200

    /// Candidates for the word ending at the end of `textBeforeCursor` (which may span several
    /// lines of a statement being typed).
    static func candidates(for textBeforeCursor: String, catalog: CatalogSnapshot) -> [String] {
        candidates(for: textBeforeCursor, textAfterCursor: "", catalog: catalog)
    }

    /// The same, also reading the rest of the statement after the cursor for the tables it
    /// names (`select fi| from diskfile` prefers diskfile's columns).
    static func candidates(for textBeforeCursor: String, textAfterCursor: String, catalog: CatalogSnapshot) -> [String] {
        let lastLine = textBeforeCursor.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        let trimmedLine = lastLine.drop { $0 == " " || $0 == "\t" }
        if trimmedLine.hasPrefix("\\") { return metaCommandCandidates(String(trimmedLine), catalog: catalog) }

        let lexed = SQLLexer.tokenize(textBeforeCursor)
        guard !lexed.endsInComment else { return [] }
        if let last = lexed.tokens.last, last.isUnterminated, last.kind != .quotedIdentifier { return [] }
        let statementStart = lexed.tokens.lastIndex { $0.isPunctuation(";") && $0.depth == 0 }.map { $0 + 1 } ?? 0
        let statement = Array(lexed.tokens[statementStart...])
        let typed = TypedName(statement, text: textBeforeCursor)
        let context = Array(statement[..<typed.firstToken])

        var after = SQLLexer.tokenize(textAfterCursor).tokens
        if let end = after.firstIndex(where: { $0.isPunctuation(";") && $0.depth == 0 }) { after.removeSubrange(end...) }
        let references = tableReferences(statement) + tableReferences(after)

        let index = catalog.index
        var groups: [[String]]
        if !typed.qualifiers.isEmpty {
            groups = [qualifiedCandidates(typed, references: references, index: index)]
        } else {
            switch position(after: context) {
            case .statementStart:
                groups = typed.prefix.quoted ? [] : [keywords(typed.prefix, from: SQLKeywords.statementStarts, case: keywordCase(typed.prefix, context: lexed.tokens))]
            case .keyword:
                groups = typed.prefix.quoted ? [] : [keywords(typed.prefix, case: keywordCase(typed.prefix, context: context))]
            case .table:
                groups = [relations(typed.prefix, index: index)]
            case .column:
                let preferred = references.flatMap { index.tables(named: $0.name, schema: $0.schema) }
                let preferredColumns = CompletionName.sorted(preferred.flatMap(\.columns).map { CompletionName($0) })
                    .filter(typed.prefix.matches).map(typed.prefix.display)
                let limit = maximumCandidates
                let others = CompletionName.sorted(
                    CatalogIndex.matching(index.columnNames, typed.prefix, limit: limit)
                        + CatalogIndex.matching(index.functionNames, typed.prefix, limit: limit)
                ).map(typed.prefix.display)
                groups = [preferredColumns, others]
                if !typed.prefix.quoted {
                    groups.append(keywords(typed.prefix, case: keywordCase(typed.prefix, context: context)))
                }
            }
        }
        return assemble(groups, keep: typed.keptText(in: textBeforeCursor))
    }

    // MARK: Where the cursor is

    enum Position: Equatable {
        /// The first word of a statement: only the words a statement starts with.
        case statementStart
        case keyword, table, column
    }

    /// Words after which a table name comes.
    private static let tableWords: Set<String> = [
        "FROM", "JOIN", "INTO", "TABLE", "TRUNCATE", "ONLY", "REFERENCES", "VIEW", "USING", "COPY", "LOCK",
    ]
    /// Words after which a column (or an expression) comes.
    private static let columnWords: Set<String> = [
        "SELECT", "WHERE", "AND", "OR", "NOT", "SET", "BY", "HAVING", "DISTINCT", "RETURNING", "WHEN", "THEN",
        "ELSE", "CASE", "BETWEEN", "LIKE", "ILIKE",
    ]
    /// Statements whose `ON` is followed by a table (`CREATE INDEX ... ON t`, `GRANT ... ON t`).
    private static let onTableStatements: Set<String> = ["CREATE", "GRANT", "REVOKE", "COMMENT", "DROP", "ALTER", "SECURITY"]
    /// Words that start a list: what follows their commas.
    private static let clauseWords: Set<String> = [
        "SELECT", "FROM", "WHERE", "GROUP", "ORDER", "BY", "HAVING", "SET", "ON", "USING", "RETURNING", "VALUES",
        "LIMIT", "OFFSET", "WINDOW", "JOIN", "INTO", "UPDATE", "TABLE", "TRUNCATE",
    ]

    static func position(after context: [SQLToken]) -> Position {
        guard let previous = context.last else { return .statementStart }
        let first = context[0].upper
        switch previous.kind {
        case .word:
            let word = previous.upper
            let before = context.count > 1 ? context[context.count - 2] : nil
            if tableWords.contains(word) { return .table }
            if word == "UPDATE" {
                // UPDATE t, but not FOR UPDATE, DO UPDATE, ON UPDATE, BEFORE UPDATE
                return before == nil || before!.isPunctuation("(") || before!.isPunctuation(")") ? .table : .keyword
            }
            if word == "EXISTS", before?.isWord("IF") == true { return .table }
            if (word == "VACUUM" || word == "ANALYZE") && context.count == 1 { return .table }
            if word == "ON" { return onTableStatements.contains(first) ? .table : .column }
            if columnWords.contains(word) { return .column }
            return .keyword
        case .punctuation:
            switch previous.text {
            case ",":
                let clause = clause(at: previous.depth, in: context)
                return ["FROM", "JOIN", "USING", "TABLE", "TRUNCATE"].contains(clause) ? .table : .column
            case "(", "=", "<", ">", "!", "+", "-", "/", "%", "|", "^", "~", "&", "@", "#":
                return .column
            default:
                return .keyword
            }
        default:
            return .keyword
        }
    }

    /// The last list-starting word at `depth` (within the innermost parentheses at that depth).
    private static func clause(at depth: Int, in tokens: [SQLToken]) -> String? {
        var index = tokens.count - 1
        while index >= 0 {
            let token = tokens[index]
            if token.depth < depth { return nil }  // reached the "(" that opened this level
            if token.depth == depth, token.kind == .word, clauseWords.contains(token.upper) {
                return token.upper == "UPDATE" ? "TABLE" : token.upper
            }
            index -= 1
        }
        return nil
    }

    // MARK: Candidates

    private static func keywords(_ prefix: NamePrefix, from list: [String] = SQLKeywords.all, case style: KeywordCase) -> [String] {
        let key = prefix.key
        return list.filter { $0.hasPrefix(key) }.map(style.apply)
    }

    /// Table names and `schema.` for a table position.
    private static func relations(_ prefix: NamePrefix, index: CatalogIndex) -> [String] {
        let names = CatalogIndex.matching(index.tableNames, prefix, limit: maximumCandidates)
        let schemas = CatalogIndex.matching(index.schemaNames, prefix, limit: maximumCandidates)
        return (names.map { (key: $0.key, text: prefix.display($0)) } + schemas.map { (key: $0.key, text: prefix.display($0) + ".") })
            .sorted { $0.key != $1.key ? $0.key < $1.key : $0.text < $1.text }
            .map(\.text)
    }

    /// After `qualifier.`: the columns of the table or alias it names, the tables of the schema it
    /// names; `schema.table.` gives that table's columns.
    private static func qualifiedCandidates(_ typed: TypedName, references: [TableReference], index: CatalogIndex) -> [String] {
        let prefix = typed.prefix
        var tables: [CatalogSnapshot.Table] = []
        var names: [(key: String, text: String)] = []
        if typed.qualifiers.count == 1 {
            let qualifier = typed.qualifiers[0]
            let aliased = references.filter { $0.alias == qualifier }
            if !aliased.isEmpty {
                tables = aliased.flatMap { index.tables(named: $0.name, schema: $0.schema) }
            } else {
                let named = references.filter { $0.name == qualifier }
                tables = named.flatMap { index.tables(named: $0.name, schema: $0.schema) }
                if tables.isEmpty { tables = index.tables(named: qualifier, schema: nil) }
                let inSchema = index.tableNamesBySchema[qualifier] ?? []
                names += inSchema.filter(prefix.matches).map { ($0.key, prefix.display($0)) }
            }
        } else if typed.qualifiers.count == 2 {
            tables = index.tables(named: typed.qualifiers[1], schema: typed.qualifiers[0])
        }
        names += tables.flatMap(\.columns).map { CompletionName($0) }.filter(prefix.matches).map { ($0.key, prefix.display($0)) }
        return names.sorted { $0.key != $1.key ? $0.key < $1.key : $0.text < $1.text }.map { typed.qualifierText + $0.text }
    }

    /// Groups in order, duplicates dropped, at most `maximumCandidates`, each prefixed with the
    /// part of the editor's word before the name.
    private static func assemble(_ groups: [[String]], keep: String) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for group in groups {
            for candidate in group where seen.insert(candidate).inserted {
                result.append(keep + candidate)
                if result.count == maximumCandidates { return result }
            }
        }
        return result
    }

    // MARK: Keyword case

    enum KeywordCase {
        case lower, upper, capitalized

        func apply(_ keyword: String) -> String {
            switch self {
            case .lower: keyword
            case .upper: keyword.uppercased()
            case .capitalized: keyword.prefix(1).uppercased() + keyword.dropFirst()
            }
        }
    }

    /// The case of what is typed (`sel` → `select`, `SEL` → `SELECT`, `Sel` → `Select`); with
    /// nothing typed yet, the case of the statement's last keyword; upper case by default.
    static func keywordCase(_ prefix: NamePrefix, context: [SQLToken]) -> KeywordCase {
        let letters = prefix.text.filter(\.isLetter)
        if !letters.isEmpty {
            if letters.allSatisfy(\.isLowercase) { return .lower }
            if letters.allSatisfy(\.isUppercase) { return .upper }
            return letters.first!.isUppercase ? .capitalized : .lower
        }
        if let last = context.last(where: { $0.kind == .word && SQLKeywords.set.contains($0.text.lowercased()) }) {
            return last.text.contains(where: \.isLowercase) ? .lower : .upper
        }
        return .upper
    }

    // MARK: Backslash commands

    /// `\dt`, `\dtv`, `\dPi` ...: the commands whose pattern names relations (psql's listTables
    /// and listPartitionedTables letters after `\d` and `\dP`).
    private static func namesRelations(_ base: String) -> Bool {
        if base.hasPrefix("dP") { return base.dropFirst(2).allSatisfy("tin".contains) }
        guard base.hasPrefix("d"), base.count > 1 else { return false }
        return base.dropFirst().allSatisfy("tvmisE".contains)
    }

    /// `\d name`, `\dt name` ...: relations; `\dn`: schemas; `\df`: functions.
    private static func metaCommandCandidates(_ line: String, catalog: CatalogSnapshot) -> [String] {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let endsWithSpace = line.last == " " || line.last == "\t"
        guard let command = parts.first, parts.count > 1 || endsWithSpace else { return [] }
        let word = endsWithSpace ? "" : String(parts.last!)
        let base = String(command.dropFirst()).filter { $0 != "+" && $0 != "S" }
        let tokens = SQLLexer.tokenize(word).tokens
        let typed = TypedName(tokens, text: word)
        let index = catalog.index
        switch base {
        case _ where base == "d" || base == "z" || base == "dp" || Self.namesRelations(base):
            let names = typed.qualifiers.isEmpty ? relations(typed.prefix, index: index) : qualifiedCandidates(typed, references: [], index: index)
            return assemble([names], keep: "")
        case "dn":
            return assemble([CatalogIndex.matching(index.schemaNames, typed.prefix, limit: maximumCandidates).map(typed.prefix.display)], keep: "")
        case "df":
            return assemble([CatalogIndex.matching(index.functionNames, typed.prefix, limit: maximumCandidates).map(typed.prefix.display)], keep: "")
        default:
            return []
        }
    }
}
