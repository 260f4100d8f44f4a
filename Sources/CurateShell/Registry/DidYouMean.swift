/// The suggestion after an unknown command's name: "; did you mean \timing?".
enum DidYouMean {
    /// "" without suggestions. A suggestion that itself ends in "?" (`\?`) is quoted, so the
    /// sentence's own question mark stays readable: `did you mean "\?" or "\h"?`.
    static func phrase(_ suggestions: [String]) -> String {
        guard !suggestions.isEmpty else { return "" }
        let quoted = suggestions.contains { $0.hasSuffix("?") }
        return "; did you mean " + Shell.list(quoted ? suggestions.map { "\"\($0)\"" } : suggestions) + "?"
    }
}
