import CurateKit

/// A table a statement names (`FROM public.diskfile AS d`), with its alias.
struct TableReference: Equatable, Sendable {
    var schema: String?
    var name: String
    var alias: String?
}

extension SQLCompleter {
    /// Words after which a table is named.
    private static let referenceWords: Set<String> = ["FROM", "JOIN", "UPDATE", "INTO", "TABLE", "TRUNCATE", "USING", "ONLY"]
    /// Words that end a table reference rather than being its alias.
    private static let notAliases: Set<String> = SQLIdentifier.notUnreserved.union(["set", "overriding", "inherits", "partition"])

    /// The tables named in `tokens` (one statement), anywhere: after `FROM`, `JOIN`, `UPDATE`,
    /// `INTO`, `TABLE`, `TRUNCATE`, `USING`, and after the commas of a `FROM` list.
    static func tableReferences(_ tokens: [SQLToken]) -> [TableReference] {
        var references: [TableReference] = []
        var clauses: [Int: String] = [:]
        for (index, token) in tokens.enumerated() {
            var introduces = false
            if token.kind == .word {
                let word = token.upper
                if ["SELECT", "FROM", "WHERE", "GROUP", "ORDER", "HAVING", "SET", "ON", "USING", "RETURNING", "VALUES", "LIMIT", "WINDOW", "TRUNCATE"].contains(word) {
                    clauses[token.depth] = word
                }
                introduces = referenceWords.contains(word)
            } else if token.isPunctuation("(") {
                clauses[token.depth + 1] = nil
            } else if token.isPunctuation(",") {
                introduces = ["FROM", "USING", "TRUNCATE"].contains(clauses[token.depth] ?? "")
            }
            guard introduces else { continue }
            var next = index + 1
            while next < tokens.count, tokens[next].isWord("ONLY") || tokens[next].isWord("TABLE") || tokens[next].isWord("LATERAL") { next += 1 }
            var parts: [String] = []
            while next < tokens.count, tokens[next].isName, let part = tokens[next].identifier,
                  !(tokens[next].kind == .word && notAliases.contains(part)) {
                parts.append(part)
                next += 1
                guard next + 1 < tokens.count, tokens[next].isPunctuation("."), tokens[next + 1].isName else { break }
                next += 1
            }
            guard let name = parts.last, parts.count <= 3 else { continue }
            if next < tokens.count, tokens[next].isPunctuation("*") { next += 1 }
            if next < tokens.count, tokens[next].isWord("AS") { next += 1 }
            var alias: String?
            if next < tokens.count, tokens[next].isName, let candidate = tokens[next].identifier,
               !(tokens[next].kind == .word && notAliases.contains(candidate)) {
                alias = candidate
            }
            references.append(TableReference(schema: parts.count > 1 ? parts[parts.count - 2] : nil, name: name, alias: alias))
        }
        return references
    }
}
