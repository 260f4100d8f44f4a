import CurateKit

/// A `{...}` placeholder in a pack's SQL, found outside strings and comments. The only one there
/// is, `{where ALIAS}`, becomes `ALIAS.KEY IN (SELECT KEY FROM TABLE WHERE (condition))` when
/// `\fix --where` runs: so ALIAS must name the fix's own table in the lock query, or the user's
/// condition would select the wrong rows (a file id compared with diskfile ids).
public struct PackPlaceholder: Sendable, Equatable {
    /// UTF-8 offsets of the `{` and just past the `}` (the end of the text when unclosed).
    public var start: Int
    public var end: Int
    /// The text between the braces, as written.
    public var body: String
    /// For `{where ALIAS}`: the alias as SQL resolves it (folded unless quoted); nil otherwise.
    public var whereAlias: String?
    /// The placeholder's parenthesis depth (for resolving its alias in nested queries).
    public var depth: Int
    public var isClosed: Bool

    /// Every placeholder of `sql`, in order.
    public static func all(in sql: String) -> [PackPlaceholder] {
        let tokens = SQLLexer.tokenize(sql).tokens
        let bytes = Array(sql.utf8)
        var found: [PackPlaceholder] = []
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard tokens[index].isPunctuation("{") else { continue }
            let open = tokens[index]
            guard let close = tokens[(index + 1)...].firstIndex(where: { $0.isPunctuation("}") || $0.isPunctuation("{") }),
                  tokens[close].isPunctuation("}") else {
                let end = tokens[(index + 1)...].first(where: { $0.isPunctuation("{") })?.start ?? bytes.count
                found.append(PackPlaceholder(start: open.start, end: end, body: String(decoding: bytes[(open.start + 1)..<end], as: UTF8.self),
                                             whereAlias: nil, depth: open.depth, isClosed: false))
                continue
            }
            let inside = tokens[(index + 1)..<close]
            var alias: String? = nil
            if inside.count == 2, inside.first!.isWord("WHERE"), inside.last!.isName {
                alias = inside.last!.identifier
            }
            let end = tokens[close].end
            found.append(PackPlaceholder(start: open.start, end: end, body: String(decoding: bytes[(open.start + 1)..<(end - 1)], as: UTF8.self),
                                         whereAlias: alias, depth: open.depth, isClosed: true))
            index = close
        }
        return found
    }

    /// What is wrong with the placeholders of a row fix's lock query whose fix changes `table`:
    /// each must be `{where ALIAS}` with ALIAS standing for `table` where the placeholder is. It
    /// becomes `ALIAS.KEY IN (SELECT KEY FROM TABLE ...)`, so any other alias would compare another
    /// table's values with the key and fix the wrong rows. Offsets are UTF-8 offsets into `lock`.
    public static func problems(lock: String, table: String) -> [(offset: Int, message: String)] {
        guard let tableParts = PackTableReference.nameParts(table) else { return [] }
        let references = PackTableReference.all(in: lock)
        var problems: [(offset: Int, message: String)] = []
        for placeholder in all(in: lock) {
            guard placeholder.isClosed else {
                problems.append((placeholder.start, "a { without its closing }; write {where ALIAS}"))
                continue
            }
            guard let alias = placeholder.whereAlias else {
                problems.append((placeholder.start, "unknown placeholder {\(placeholder.body)}; the only placeholder is {where ALIAS}, ALIAS being the alias of \(table) in the query"))
                continue
            }
            // The names that stand for the fix's table at the placeholder's place.
            let allowed = Set(references.filter { $0.depth <= placeholder.depth }.map(\.binding)).filter { binding in
                PackTableReference.resolve(binding, depth: placeholder.depth, in: references)?.sameTable(as: tableParts) == true
            }.sorted()
            if allowed.contains(alias) { continue }
            let what: String
            if let bound = PackTableReference.resolve(alias, depth: placeholder.depth, in: references) {
                what = "\(alias) is table \(bound.displayName) there, not the fix's table \(table) (-- table:), so \\fix --where would select the wrong rows"
            } else {
                what = "\(alias) is not a table or alias of the query's FROM list there"
            }
            let allowedText = allowed.isEmpty
                ? "no alias of \(table) is in scope there: read the fix's table in the lock query (FROM \(table) ALIAS) and write {where ALIAS}"
                : "allowed: " + allowed.map { "{where \($0)}" }.joined(separator: ", ")
            problems.append((placeholder.start, "{where \(alias)} is refused: \(what); \(allowedText)"))
        }
        return problems
    }

    /// `sql` with each `{where ALIAS}` replaced by `expression(ALIAS)`; strings and comments untouched.
    public static func substitutingWhere(in sql: String, _ expression: (String) -> String) -> String {
        var bytes = Array(sql.utf8)
        for placeholder in all(in: sql).reversed() {
            guard let alias = placeholder.whereAlias, placeholder.isClosed else { continue }
            bytes.replaceSubrange(placeholder.start..<placeholder.end, with: Array(expression(alias).utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A table named in a FROM list or a JOIN of a query, with the name it is known by there.
public struct PackTableReference: Sendable, Equatable {
    /// The name's parts as SQL resolves them (`public.diskfile` → ["public", "diskfile"]).
    public var parts: [String]
    /// The alias, or the table's own name when it has none.
    public var binding: String
    /// The parenthesis depth of the FROM item.
    public var depth: Int
    /// UTF-8 offset of the name.
    public var offset: Int

    /// The name as written in messages (`diskfile`, `public.diskfile`).
    public var displayName: String { parts.joined(separator: ".") }

    /// True when this and `other` name the same table; an unqualified name matches any schema.
    public func sameTable(as other: [String]) -> Bool {
        guard let last = parts.last, last == other.last else { return false }
        if parts.count == 1 || other.count == 1 { return true }
        return Array(parts.suffix(2)) == Array(other.suffix(2))
    }

    /// Words that end a FROM item where an alias could be.
    static let notAliases: Set<String> = [
        "WHERE", "JOIN", "ON", "USING", "LEFT", "RIGHT", "INNER", "FULL", "CROSS", "NATURAL", "OUTER",
        "GROUP", "ORDER", "LIMIT", "OFFSET", "FETCH", "FOR", "UNION", "EXCEPT", "INTERSECT", "HAVING",
        "WINDOW", "TABLESAMPLE", "RETURNING", "SET", "LATERAL", "AS", "ONLY", "WITH", "SELECT", "VALUES",
    ]

    /// The parts of a table name as written (`"Odd".t`), nil when it is not one.
    public static func nameParts(_ text: String) -> [String]? {
        let tokens = SQLLexer.tokenize(text).tokens
        var parts: [String] = []
        for (index, token) in tokens.enumerated() {
            if index % 2 == 0 {
                guard token.isName, let name = token.identifier else { return nil }
                parts.append(name)
            } else if !token.isPunctuation(".") {
                return nil
            }
        }
        return parts.isEmpty || tokens.count % 2 == 0 ? nil : parts
    }

    /// The tables read by FROM lists and JOINs of `sql`, at every depth (subqueries included).
    public static func all(in sql: String) -> [PackTableReference] {
        let tokens = SQLLexer.tokenize(sql).tokens
        var found: [PackTableReference] = []
        var index = 0
        /// Reads one FROM item at `index`; returns the index after it.
        func item(at start: Int) -> Int {
            var index = start
            if index < tokens.count, tokens[index].isWord("ONLY") || tokens[index].isWord("LATERAL") { index += 1 }
            guard index < tokens.count else { return index }
            if tokens[index].isPunctuation("(") {
                // A subquery or a parenthesised join: its own tables are found by the main loop.
                return index + 1
            }
            guard tokens[index].isName, !PackTableReference.notAliases.contains(tokens[index].upper) else { return index }
            let first = index
            var parts: [String] = [tokens[index].identifier ?? ""]
            index += 1
            while index + 1 < tokens.count, tokens[index].isPunctuation("."), tokens[index + 1].isName {
                parts.append(tokens[index + 1].identifier ?? "")
                index += 2
            }
            // A function in FROM (`generate_series(...)`) is not a table.
            if index < tokens.count, tokens[index].isPunctuation("(") { return index }
            if index < tokens.count, tokens[index].isPunctuation("*") { index += 1 }
            var binding = parts.last ?? ""
            if index < tokens.count, tokens[index].isWord("AS") { index += 1 }
            if index < tokens.count, tokens[index].isName, !PackTableReference.notAliases.contains(tokens[index].upper) {
                binding = tokens[index].identifier ?? binding
                index += 1
            }
            found.append(PackTableReference(parts: parts, binding: binding, depth: tokens[first].depth, offset: tokens[first].start))
            return index
        }
        while index < tokens.count {
            let token = tokens[index]
            let startsList = token.isWord("FROM") && !(index > 0 && tokens[index - 1].isWord("DISTINCT"))
            guard startsList || token.isWord("JOIN") else {
                index += 1
                continue
            }
            let depth = token.depth
            index = item(at: index + 1)
            // More items of a FROM list: `FROM a x, b y`.
            while startsList, index < tokens.count, tokens[index].isPunctuation(","), tokens[index].depth == depth {
                index = item(at: index + 1)
            }
        }
        return found
    }

    /// The table `alias` stands for at a place of depth `depth`: the innermost FROM item binding
    /// that name at that depth or an enclosing one.
    public static func resolve(_ alias: String, depth: Int, in references: [PackTableReference]) -> PackTableReference? {
        references.filter { $0.binding == alias && $0.depth <= depth }.max { $0.depth < $1.depth }
    }
}
