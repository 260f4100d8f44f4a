import CurateKit

/// Finds what in a SQL text would destroy data: `DELETE`/`UPDATE` without `WHERE`, `DROP`,
/// `TRUNCATE` and `ALTER TABLE ... DROP`.
///
/// Unlike pgcli, which looks only at the first word of the text, this reads every statement of
/// the text with a real tokenizer (strings, quoted identifiers, dollar quotes and comments cannot
/// fool it), looks inside data-modifying `WITH` queries and other parenthesised statements
/// (`COPY (DELETE ... RETURNING *) TO ...`), `EXPLAIN ANALYZE` (which runs its statement) and
/// the PL/pgSQL body of a `DO` block, and only counts a `WHERE` at the statement's own level.
///
/// What it leaves alone: statements that only define something for later (`CREATE RULE`,
/// `CREATE FUNCTION` bodies, `PREPARE`), plain `EXPLAIN`, `ON DELETE CASCADE`, `GRANT DELETE`,
/// `INSERT ... ON CONFLICT DO UPDATE`, `MERGE`, and `ALTER TABLE ... ALTER COLUMN ... DROP
/// DEFAULT | NOT NULL` (schema, not data).
enum StatementClassifier {
    /// Every destructive action in one SQL text (which may hold several statements), in the
    /// order they appear.
    static func destructiveActions(in sql: String) -> [DestructiveAction] {
        let tokens = SQLLexer.tokenize(sql).tokens
        return SQLLexer.statementRanges(tokens).flatMap { statement(tokens, $0) }
    }

    // MARK: Statements

    /// A whole statement: its own action and those of the data-modifying statements nested in
    /// its parentheses (the bodies of `WITH` queries, `COPY (...)`).
    private static func statement(_ t: [SQLToken], _ range: Range<Int>) -> [DestructiveAction] {
        guard let first = range.first else { return [] }
        var start = first
        switch t[first].upper {
        case "CREATE", "PREPARE":
            return []  // defines something that runs later (a rule, a function body), runs nothing now
        case "EXPLAIN":
            guard let body = explainAnalyzeBody(t, range) else { return [] }
            start = body
        case "DO":
            return doBlock(t, range)
        default:
            break
        }
        var found: [(position: Int, action: DestructiveAction)] = []
        if let action = head(t, start..<range.upperBound) { found.append(action) }
        for index in start..<range.upperBound where t[index].isPunctuation("(") && index + 1 < range.upperBound {
            let next = t[index + 1]
            guard next.isWord("DELETE") || next.isWord("UPDATE") || next.isWord("WITH") else { continue }
            let close = SQLLexer.closingParenthesis(t, open: index, limit: range.upperBound)
            if let action = head(t, (index + 1)..<close) { found.append(action) }
        }
        return found.sorted { $0.position < $1.position }.map(\.action)
    }

    /// The action of the statement starting at `range.lowerBound` (after its `WITH` queries).
    private static func head(_ t: [SQLToken], _ range: Range<Int>) -> (position: Int, action: DestructiveAction)? {
        guard var index = range.first else { return nil }
        if t[index].isWord("WITH") {
            guard let main = mainStatementAfterWith(t, range) else { return nil }
            index = main
        }
        let end = range.upperBound
        let action: DestructiveAction?
        switch t[index].upper {
        case "DELETE": action = delete(t, index, end)
        case "UPDATE": action = update(t, index, end)
        case "TRUNCATE": action = truncate(t, index, end)
        case "DROP": action = drop(t, index, end)
        case "ALTER": action = alterTable(t, index, end)
        default: action = nil
        }
        return action.map { (index, $0) }
    }

    /// `WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] (body) [SEARCH|CYCLE ...], ...`
    /// then the main statement: its first token.
    static func mainStatementAfterWith(_ t: [SQLToken], _ range: Range<Int>) -> Int? {
        let depth = t[range.lowerBound].depth
        let end = range.upperBound
        var index = range.lowerBound + 1
        if index < end, t[index].isWord("RECURSIVE") { index += 1 }
        let mainWords: Set<String> = ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE"]
        while index < end {
            // Up to the body: the "(" after AS [NOT] [MATERIALIZED].
            while index < end, !(t[index].isWord("AS") && t[index].depth == depth) { index += 1 }
            index += 1
            while index < end, t[index].isWord("NOT") || t[index].isWord("MATERIALIZED") { index += 1 }
            guard index < end, t[index].isPunctuation("(") else { return nil }
            index = SQLLexer.closingParenthesis(t, open: index, limit: end) + 1
            // After the body: SEARCH/CYCLE clauses, then "," and the next query, or the main statement.
            var another = false
            while index < end {
                let token = t[index]
                if token.isPunctuation(","), token.depth == depth {
                    another = true
                    index += 1
                    break
                }
                if token.isPunctuation("(") || (token.kind == .word && mainWords.contains(token.upper)) { return index }
                index += 1
            }
            if !another { return nil }
        }
        return nil
    }

    /// `EXPLAIN ANALYZE stmt` and `EXPLAIN (ANALYZE [true]) stmt` run the statement: its first
    /// token. Nil for a plain `EXPLAIN`, which only plans it.
    static func explainAnalyzeBody(_ t: [SQLToken], _ range: Range<Int>) -> Int? {
        let end = range.upperBound
        var index = range.lowerBound + 1
        var analyze = false
        if index < end, t[index].isPunctuation("(") {
            let close = SQLLexer.closingParenthesis(t, open: index, limit: end)
            for option in (index + 1)..<close where t[option].isWord("ANALYZE") || t[option].isWord("ANALYSE") {
                let value = option + 1 < close ? t[option + 1] : nil
                let off = value.map { ["FALSE", "OFF", "0", "'false'", "'off'", "'0'"].contains($0.upper) } ?? false
                analyze = !off
            }
            index = close + 1
        } else {
            while index < end, t[index].isWord("ANALYZE") || t[index].isWord("ANALYSE") || t[index].isWord("VERBOSE") {
                if !t[index].isWord("VERBOSE") { analyze = true }
                index += 1
            }
        }
        return analyze && index < end ? index : nil
    }

    /// `DO [LANGUAGE plpgsql] $$ ... $$`: the actions of the statements in its body, which runs now.
    private static func doBlock(_ t: [SQLToken], _ range: Range<Int>) -> [DestructiveAction] {
        var body: SQLToken?
        var language = "plpgsql"
        var index = range.lowerBound + 1
        while index < range.upperBound {
            let token = t[index]
            if token.isWord("LANGUAGE"), index + 1 < range.upperBound {
                language = t[index + 1].identifier ?? SQLToken.asciiLowercased(t[index + 1].stringValue ?? "")
                index += 2
                continue
            }
            if body == nil, token.kind == .string || token.kind == .dollarString { body = token }
            index += 1
        }
        guard let body, language == "plpgsql" else { return [] }
        return plpgsqlActions(body.stringValue ?? "")
    }

    /// The statements of a PL/pgSQL block: each `;`-separated piece is searched for a statement
    /// starting at its beginning or after `BEGIN`, `THEN`, `ELSE`, `LOOP` or a `<<label>>`.
    private static func plpgsqlActions(_ code: String) -> [DestructiveAction] {
        let t = SQLLexer.tokenize(code).tokens
        let verbs: Set<String> = ["DELETE", "UPDATE", "TRUNCATE", "DROP", "ALTER", "WITH", "EXPLAIN", "DO"]
        let blockWords: Set<String> = ["BEGIN", "THEN", "ELSE", "LOOP"]
        var actions: [DestructiveAction] = []
        for range in SQLLexer.statementRanges(t) {
            let depth = t[range.lowerBound].depth
            let start = range.first { index in
                let token = t[index]
                guard token.kind == .word, token.depth == depth, verbs.contains(token.upper) else { return false }
                guard index > range.lowerBound else { return true }
                let previous = t[index - 1]
                return previous.isPunctuation(">") || (previous.kind == .word && blockWords.contains(previous.upper))
            }
            actions += statement(t, (start ?? range.lowerBound)..<range.upperBound)
        }
        return actions
    }

    // MARK: The destructive statements

    /// `DELETE FROM [ONLY] name ...` with no `WHERE` of its own.
    private static func delete(_ t: [SQLToken], _ index: Int, _ end: Int) -> DestructiveAction? {
        guard index + 1 < end, t[index + 1].isWord("FROM") else { return nil }
        var next = index + 2
        if next < end, t[next].isWord("ONLY") { next += 1 }
        let name = qualifiedName(t, next, end)
        var without = "without WHERE"
        if let condition = whereCondition(t, from: name?.next ?? next, to: end, depth: t[index].depth) {
            guard ConstantCondition.judge(t[condition]) == .alwaysTrue else { return nil }
            without = "whose WHERE is always true (WHERE \(SQLLexer.render(t[condition])))"
        }
        return DestructiveAction(
            kind: .deleteWithoutWhere, tables: name.map { [$0.resolved] } ?? [],
            summary: "DELETE \(without)" + (name.map { " on " + $0.display } ?? "")
        )
    }

    /// `UPDATE [ONLY] name [*] [[AS] alias] SET ...` with no `WHERE` of its own.
    private static func update(_ t: [SQLToken], _ index: Int, _ end: Int) -> DestructiveAction? {
        var next = index + 1
        if next < end, t[next].isWord("ONLY") { next += 1 }
        guard let name = qualifiedName(t, next, end) else { return nil }
        next = name.next
        if next < end, t[next].isPunctuation("*") { next += 1 }
        if next < end, t[next].isWord("AS") { next += 1 }
        if next < end, t[next].isName, !t[next].isWord("SET") { next += 1 }
        guard next < end, t[next].isWord("SET") else { return nil }
        var without = "without WHERE"
        if let condition = whereCondition(t, from: next, to: end, depth: t[index].depth) {
            guard ConstantCondition.judge(t[condition]) == .alwaysTrue else { return nil }
            without = "whose WHERE is always true (WHERE \(SQLLexer.render(t[condition])))"
        }
        return DestructiveAction(kind: .updateWithoutWhere, tables: [name.resolved], summary: "UPDATE \(without) on " + name.display)
    }

    /// `TRUNCATE [TABLE] [ONLY] name [*] [, ...] [RESTART IDENTITY] [CASCADE]`.
    private static func truncate(_ t: [SQLToken], _ index: Int, _ end: Int) -> DestructiveAction? {
        var next = index + 1
        if next < end, t[next].isWord("TABLE") { next += 1 }
        var names: [Name] = []
        while next < end {
            if t[next].isWord("ONLY") { next += 1 }
            guard let name = qualifiedName(t, next, end) else { break }
            names.append(name)
            next = name.next
            if next < end, t[next].isPunctuation("*") { next += 1 }
            guard next < end, t[next].isPunctuation(",") else { break }
            next += 1
        }
        let cascade = (next..<end).contains { t[$0].isWord("CASCADE") }
        let listed = names.isEmpty ? "" : " " + names.map(\.display).joined(separator: ", ")
        return DestructiveAction(kind: .truncate, tables: names.map(\.resolved), summary: "TRUNCATE" + listed + (cascade ? " CASCADE" : ""))
    }

    /// Object types of more than one word, longest first.
    private static let dropPhrases: [[String]] = [
        ["FOREIGN", "DATA", "WRAPPER"], ["MATERIALIZED", "VIEW"], ["FOREIGN", "TABLE"], ["EVENT", "TRIGGER"],
        ["ACCESS", "METHOD"], ["USER", "MAPPING"], ["OPERATOR", "CLASS"], ["OPERATOR", "FAMILY"],
        ["OWNED", "BY"], ["PROCEDURAL", "LANGUAGE"], ["TEXT", "SEARCH"],
    ]

    /// `DROP <object type> [CONCURRENTLY] [IF EXISTS] names [CASCADE | RESTRICT]`.
    private static func drop(_ t: [SQLToken], _ index: Int, _ end: Int) -> DestructiveAction? {
        var next = index + 1
        guard next < end, t[next].kind == .word else { return nil }
        var typeWords = [t[next].upper]
        for phrase in dropPhrases where next + phrase.count <= end && (0..<phrase.count).allSatisfy({ t[next + $0].isWord(phrase[$0]) }) {
            typeWords = phrase
            // TEXT SEARCH CONFIGURATION | DICTIONARY | PARSER | TEMPLATE
            if phrase == ["TEXT", "SEARCH"], next + 2 < end, t[next + 2].kind == .word { typeWords.append(t[next + 2].upper) }
            break
        }
        next += typeWords.count
        if next < end, t[next].isWord("CONCURRENTLY") { next += 1 }
        if next + 1 < end, t[next].isWord("IF"), t[next + 1].isWord("EXISTS") { next += 2 }
        var namesEnd = end
        var cascade = false
        while namesEnd > next, t[namesEnd - 1].isWord("CASCADE") || t[namesEnd - 1].isWord("RESTRICT") {
            if t[namesEnd - 1].isWord("CASCADE") { cascade = true }
            namesEnd -= 1
        }
        let objectType = typeWords.joined(separator: " ")
        var tables: [String] = []
        var described = SQLLexer.render(t[next..<namesEnd])
        if objectType == "TABLE" {
            var names: [Name] = []
            var position = next
            while let name = qualifiedName(t, position, namesEnd) {
                names.append(name)
                position = name.next
                guard position < namesEnd, t[position].isPunctuation(",") else { break }
                position += 1
            }
            tables = names.map(\.resolved)
            if !names.isEmpty { described = names.map(\.display).joined(separator: ", ") }
        }
        let summary = "DROP " + objectType + (described.isEmpty ? "" : " " + described) + (cascade ? " CASCADE" : "")
        return DestructiveAction(kind: .drop, tables: tables, summary: summary)
    }

    /// `ALTER [FOREIGN] TABLE [IF EXISTS] [ONLY] name [*] action, ...` with a `DROP COLUMN` or
    /// `DROP CONSTRAINT` among its actions.
    private static func alterTable(_ t: [SQLToken], _ index: Int, _ end: Int) -> DestructiveAction? {
        var next = index + 1
        var kind = "TABLE"
        if next < end, t[next].isWord("FOREIGN") {
            kind = "FOREIGN TABLE"
            next += 1
        }
        guard next < end, t[next].isWord("TABLE") else { return nil }
        next += 1
        if next + 1 < end, t[next].isWord("IF"), t[next + 1].isWord("EXISTS") { next += 2 }
        if next < end, t[next].isWord("ONLY") { next += 1 }
        guard let name = qualifiedName(t, next, end) else { return nil }
        next = name.next
        if next < end, t[next].isPunctuation("*") { next += 1 }
        let depth = t[index].depth
        var drops: [String] = []
        var actionStart = next
        for position in next...end where position == end || (t[position].isPunctuation(",") && t[position].depth == depth) {
            if actionStart < position, t[actionStart].isWord("DROP") {
                drops.append(SQLLexer.render(t[actionStart..<position]))
            }
            actionStart = position + 1
        }
        guard !drops.isEmpty else { return nil }
        return DestructiveAction(
            kind: .alterTableDrop, tables: kind == "TABLE" ? [name.resolved] : [],
            summary: "ALTER \(kind) \(name.display) " + drops.joined(separator: ", ")
        )
    }

    // MARK: Helpers

    struct Name {
        /// The name PostgreSQL resolves, parts joined by ".": `public.diskfile`, `ObsLog`.
        var resolved: String
        /// As SQL, quoted where needed: `public.diskfile`, `"ObsLog"`.
        var display: String
        /// The token after the name.
        var next: Int
    }

    /// `name`, `schema.name` or `database.schema.name` at `index`.
    static func qualifiedName(_ t: [SQLToken], _ index: Int, _ end: Int) -> Name? {
        guard index < end, t[index].isName, let first = t[index].identifier else { return nil }
        var parts = [first]
        var next = index + 1
        while next + 1 < end, t[next].isPunctuation("."), t[next + 1].isName, let part = t[next + 1].identifier {
            parts.append(part)
            next += 2
        }
        return Name(
            resolved: parts.joined(separator: "."),
            display: parts.map(SQLIdentifier.quotedIfNeeded).joined(separator: "."),
            next: next
        )
    }

    /// The condition of a `WHERE` at the statement's own level (not in a subquery) between
    /// `start` and `end`: the tokens after it, up to `RETURNING` or the end. Nil without one.
    static func whereCondition(_ t: [SQLToken], from start: Int, to end: Int, depth: Int) -> Range<Int>? {
        guard let whereIndex = (start..<max(start, end)).first(where: { t[$0].depth == depth && t[$0].isWord("WHERE") }) else { return nil }
        let stop = ((whereIndex + 1)..<max(whereIndex + 1, end)).first { t[$0].depth == depth && t[$0].isWord("RETURNING") } ?? end
        return (whereIndex + 1)..<stop
    }
}
