import CurateKit

/// Judges a `WHERE` condition written with constants alone: `true`, `1 = 1`, `'a' = 'a'`,
/// `NOT false`, `1 = 1 OR x > 5`, `(true)`. Always true means the statement touches every row,
/// as if it had no `WHERE`. Anything that depends on a row (a column, a function) is unknown
/// here; the guard then asks the planner (`GuardPlanner`).
enum ConstantCondition: Equatable {
    case alwaysTrue, alwaysFalse, unknown

    static func judge(_ t: ArraySlice<SQLToken>) -> ConstantCondition {
        guard let first = t.first else { return .unknown }
        let depth = first.depth
        // OR binds loosest, then AND, then NOT.
        let ors = split(t, on: "OR", depth: depth)
        if ors.count > 1 {
            let parts = ors.map(judge)
            if parts.contains(.alwaysTrue) { return .alwaysTrue }
            return parts.allSatisfy { $0 == .alwaysFalse } ? .alwaysFalse : .unknown
        }
        let ands = split(t, on: "AND", depth: depth)
        if ands.count > 1 {
            let parts = ands.map(judge)
            if parts.contains(.alwaysFalse) { return .alwaysFalse }
            return parts.allSatisfy { $0 == .alwaysTrue } ? .alwaysTrue : .unknown
        }
        if first.isWord("NOT") {
            switch judge(t.dropFirst()) {
            case .alwaysTrue: return .alwaysFalse
            case .alwaysFalse: return .alwaysTrue
            case .unknown: return .unknown
            }
        }
        if first.isPunctuation("("), let last = t.last, last.isPunctuation(")"), last.depth == depth,
           SQLLexer.closingParenthesis(Array(t), open: 0, limit: t.count) == t.count - 1 {
            return judge(t.dropFirst().dropLast())
        }
        if t.count == 1 {
            if first.isWord("TRUE") { return .alwaysTrue }
            if first.isWord("FALSE") { return .alwaysFalse }
            return .unknown
        }
        return comparison(Array(t))
    }

    /// `constant OP constant` for numbers or strings.
    private static func comparison(_ t: [SQLToken]) -> ConstantCondition {
        guard t.count >= 3, let left = t.first, let right = t.last,
              (left.kind == .number && right.kind == .number) || (left.kind == .string && right.kind == .string) else { return .unknown }
        let op = t[1..<(t.count - 1)].map(\.text).joined()
        guard t[1..<(t.count - 1)].allSatisfy({ $0.kind == .punctuation }) else { return .unknown }
        let order: Int
        if left.kind == .number {
            guard let a = Double(left.text), let b = Double(right.text) else { return .unknown }
            order = a < b ? -1 : (a > b ? 1 : 0)
        } else {
            // Equality of identical strings holds in every collation; order depends on it.
            guard let a = left.stringValue, let b = right.stringValue, left.text.first == "'", right.text.first == "'" else { return .unknown }
            guard op == "=" || op == "<>" || op == "!=" else { return .unknown }
            order = a == b ? 0 : 1
        }
        let result: Bool
        switch op {
        case "=": result = order == 0
        case "<>", "!=": result = order != 0
        case "<": result = order < 0
        case ">": result = order > 0
        case "<=": result = order <= 0
        case ">=": result = order >= 0
        default: return .unknown
        }
        return result ? .alwaysTrue : .alwaysFalse
    }

    private static func split(_ t: ArraySlice<SQLToken>, on word: String, depth: Int) -> [ArraySlice<SQLToken>] {
        var parts: [ArraySlice<SQLToken>] = []
        var start = t.startIndex
        // BETWEEN x AND y: that AND belongs to BETWEEN.
        var between = false
        for index in t.indices where t[index].depth == depth {
            if t[index].isWord("BETWEEN") { between = true }
            if t[index].isWord(word) {
                if word == "AND" && between { between = false; continue }
                parts.append(t[start..<index])
                start = index + 1
            }
        }
        parts.append(t[start..<t.endIndex])
        return parts.filter { !$0.isEmpty }
    }
}
