import CurateKit

/// A `DELETE` or `UPDATE` whose reach only the server can judge: one with a `WHERE` that is not
/// constant (the planner may still find it always true: `WHERE id = id OR true`), and every
/// `DELETE` (rows of other tables may go with it through `ON DELETE CASCADE`).
struct ConditionalWrite: Equatable {
    enum Kind: Equatable { case delete, update }

    var kind: Kind
    /// The table as PostgreSQL resolves the name (`public.file`, `ObsLog`) and as SQL writes it.
    var table: String
    var display: String
    var hasWhere: Bool
    /// The whole statement, for `EXPLAIN`.
    var statement: String
    /// For a `DELETE`: the name its rows go by (alias or table) and the text after `FROM`
    /// that selects them (`USING` made a join, `RETURNING` left out): `SELECT ref.col FROM
    /// <from>` reads the keys of the rows it would delete. Nil for `WHERE CURRENT OF`.
    var reference: String?
    var from: String?
}

extension StatementClassifier {
    /// The top-level `DELETE`s and conditional `UPDATE`s of `sql` (not those nested in other
    /// statements, nor those with a constant `WHERE`, which `destructiveActions` judges alone).
    static func conditionalWrites(in sql: String) -> [ConditionalWrite] {
        let tokens = SQLLexer.tokenize(sql).tokens
        let bytes = Array(sql.utf8)
        func text(_ range: Range<Int>) -> String {
            guard let first = range.first, let last = range.last else { return "" }
            return String(decoding: bytes[tokens[first].start..<tokens[last].end], as: UTF8.self)
        }
        var found: [ConditionalWrite] = []
        for range in SQLLexer.statementRanges(tokens) {
            guard var index = range.first else { continue }
            if tokens[index].isWord("WITH") {
                guard let main = mainStatementAfterWith(tokens, range) else { continue }
                index = main
            }
            let end = range.upperBound
            let depth = tokens[index].depth
            // The statement without a closing ";".
            let statementEnd = tokens[end - 1].isPunctuation(";") ? end - 1 : end
            if tokens[index].isWord("DELETE") {
                guard index + 1 < end, tokens[index + 1].isWord("FROM") else { continue }
                var next = index + 2
                let fromStart = next
                if next < end, tokens[next].isWord("ONLY") { next += 1 }
                guard let name = qualifiedName(tokens, next, end) else { continue }
                let condition = whereCondition(tokens, from: name.next, to: statementEnd, depth: depth)
                if let condition, ConstantCondition.judge(tokens[condition]) != .unknown { continue }
                var reference = SQLIdentifier.quotedIfNeeded(name.resolved.split(separator: ".").last.map(String.init) ?? name.resolved)
                var position = name.next
                if position < end, tokens[position].isWord("AS") { position += 1 }
                if position < end, tokens[position].isName,
                   !["USING", "WHERE", "RETURNING"].contains(tokens[position].upper), tokens[position].kind == .word || tokens[position].kind == .quotedIdentifier {
                    reference = tokens[position].text
                }
                let selectEnd = condition?.upperBound ?? (((name.next)..<statementEnd).first { tokens[$0].depth == depth && tokens[$0].isWord("RETURNING") } ?? statementEnd)
                let currentOf = condition.map { tokens[$0].count >= 2 && tokens[$0.lowerBound].isWord("CURRENT") && tokens[$0.lowerBound + 1].isWord("OF") } ?? false
                var from: String? = nil
                if !currentOf {
                    // USING at the statement's level becomes a join (a comma).
                    let pieces = (fromStart..<selectEnd).split { tokens[$0].depth == depth && tokens[$0].isWord("USING") }
                    from = pieces.map { text($0.startIndex..<$0.endIndex) }.joined(separator: ", ")
                }
                found.append(ConditionalWrite(kind: .delete, table: name.resolved, display: name.display, hasWhere: condition != nil,
                                              statement: text(range.lowerBound..<statementEnd), reference: currentOf ? nil : reference, from: from))
            } else if tokens[index].isWord("UPDATE") {
                var next = index + 1
                if next < end, tokens[next].isWord("ONLY") { next += 1 }
                guard let name = qualifiedName(tokens, next, end) else { continue }
                guard let condition = whereCondition(tokens, from: name.next, to: statementEnd, depth: depth),
                      ConstantCondition.judge(tokens[condition]) == .unknown else { continue }
                found.append(ConditionalWrite(kind: .update, table: name.resolved, display: name.display, hasWhere: true,
                                              statement: text(range.lowerBound..<statementEnd), reference: nil, from: nil))
            }
        }
        return found
    }
}
