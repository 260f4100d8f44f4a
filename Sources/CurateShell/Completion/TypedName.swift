import CurateKit

/// The name being typed at the end of a text: `dis`, `public.dis`, `d.`, `"Obs`, or nothing.
struct TypedName {
    /// The qualifiers before the last `.`, as PostgreSQL resolves them (`public`, `d`).
    var qualifiers: [String] = []
    /// What is typed of the last part.
    var prefix = NamePrefix(text: "", quoted: false)
    /// The qualifiers as typed, with the final `.`: `public.`, `"My Schema".`.
    var qualifierText = ""
    /// The first token of the name (the tokens' count when nothing is typed).
    var firstToken: Int
    /// UTF-8 offset in the text where the name starts.
    private var startOffset: Int

    /// Reads the name from the end of `tokens`, the tokens of `text`.
    init(_ tokens: [SQLToken], text: String) {
        let bytes = Array(text.utf8)
        let end = bytes.count
        firstToken = tokens.count
        startOffset = end
        guard let last = tokens.last, last.end == end else { return }
        var dot: Int
        if last.isName {
            prefix = NamePrefix(text: last.identifier.map { last.kind == .word ? last.text : $0 } ?? "", quoted: last.kind == .quotedIdentifier)
            firstToken = tokens.count - 1
            dot = tokens.count - 2
        } else if last.isPunctuation(".") {
            dot = tokens.count - 1
        } else {
            return
        }
        // Walk back over "qualifier." pairs written without spaces.
        var qualifierTokens: [SQLToken] = []
        while dot >= 1, tokens[dot].isPunctuation("."), tokens[dot - 1].isName, tokens[dot - 1].end == tokens[dot].start,
              tokens[dot].end == (dot + 1 < tokens.count ? tokens[dot + 1].start : end) {
            qualifierTokens.insert(tokens[dot - 1], at: 0)
            firstToken = dot - 1
            dot -= 2
        }
        if last.isPunctuation("."), qualifierTokens.isEmpty {
            firstToken = tokens.count
            return
        }
        qualifiers = qualifierTokens.compactMap(\.identifier)
        startOffset = tokens[firstToken].start
        if let first = qualifierTokens.first {
            let qualifiersEnd = last.isName ? last.start : end
            qualifierText = String(decoding: bytes[first.start..<qualifiersEnd], as: UTF8.self)
        }
    }

    /// The part of the line editor's word before the name (`x::` of `x::te`), so that candidates
    /// replace the editor's whole word. The editor's word runs back to whitespace or `(),;=<>+*|`.
    func keptText(in text: String) -> String {
        let word = text.reversed().prefix { !$0.isWhitespace && !"(),;=<>+*|".contains($0) }.reversed()
        let typedBytes = Array(text.utf8)[startOffset...]
        let typed = String(decoding: typedBytes, as: UTF8.self)
        let editorWord = String(word)
        guard editorWord.hasSuffix(typed) else { return "" }
        return String(editorWord.dropLast(typed.count))
    }
}
