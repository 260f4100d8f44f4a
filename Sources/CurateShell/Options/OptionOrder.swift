/// The order in which options were given. psql applies its options one by one, so the order
/// matters where two options touch the same thing: `-c` and `-f` run in the order given, and of
/// `-A` and `--csv` (or `-F` and `-z`) the later one wins. argument-parser keeps each option's
/// own values in order, not the order between two options: this scan recovers it from the
/// arguments argument-parser has already accepted.
struct OptionOrder {
    /// Each option as written, by its short letter when it has one (`c`, `f`, `A`), else its long
    /// name (`csv`, `json`).
    private(set) var names: [String] = []

    /// Short letters that take a value (the rest of the word, or the next argument).
    private static let shortWithValue: Set<Character> = ["c", "d", "f", "L", "o", "P", "R", "T", "F", "h", "p", "U", "v"]
    /// Long names that take a value, with the short letter they stand for.
    private static let longWithValue: [String: String] = [
        "command": "c", "dbname": "d", "file": "f", "log-file": "L", "output": "o", "pset": "P",
        "record-separator": "R", "table-attr": "T", "field-separator": "F", "host": "h", "port": "p",
        "username": "U", "variable": "v", "set": "v", "plugin-dir": "plugin-dir",
    ]
    /// Long flags with the short letter they stand for.
    private static let longFlags: [String: String] = [
        "no-align": "A", "field-separator-zero": "z", "record-separator-zero": "0", "tuples-only": "t",
        "expanded": "x", "echo-all": "a", "echo-errors": "b", "echo-queries": "e", "quiet": "q",
    ]

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if word == "--" { break }
            if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                let name = String(body.prefix(while: { $0 != "=" }))
                if let letter = Self.longWithValue[name] {
                    names.append(letter)
                    if !body.contains("=") { index += 1 }
                } else {
                    names.append(Self.longFlags[name] ?? name)
                }
            } else if word.hasPrefix("-"), word.count > 1 {
                let letters = Array(word.dropFirst())
                for (position, letter) in letters.enumerated() {
                    names.append(String(letter))
                    if Self.shortWithValue.contains(letter) {
                        // The value is the rest of the word, or the next argument when nothing follows.
                        if position == letters.count - 1 { index += 1 }
                        break
                    }
                }
            }
        }
    }

    /// Of several options, the one given last (nil when none of them was given).
    func last(of candidates: Set<String>) -> String? {
        names.last(where: { candidates.contains($0) })
    }

    /// The order of the `-c` and `-f` options: true for each `-c`, false for each `-f`.
    var commandsAndFiles: [Bool] {
        names.compactMap { $0 == "c" ? true : $0 == "f" ? false : nil }
    }
}
