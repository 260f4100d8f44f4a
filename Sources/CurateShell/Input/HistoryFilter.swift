/// Lines that set passwords never go into the history file.
enum HistoryFilter {
    /// `\password`, and `ALTER|CREATE ROLE|USER ... PASSWORD ...` anywhere in the entry
    /// (several statements, comments before them, any case).
    static func holdsPassword(_ entry: String) -> Bool {
        let words = entry.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "\\") })
        if words.contains("\\password") { return true }
        guard words.contains("password") else { return false }
        for (index, word) in words.enumerated() where word == "alter" || word == "create" {
            if index + 1 < words.count, words[index + 1] == "role" || words[index + 1] == "user" {
                return true
            }
        }
        return false
    }
}
