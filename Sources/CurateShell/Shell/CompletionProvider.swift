import CurateKit
import Foundation

/// Context-aware Tab completion: command names after `\`, a command's options and its own
/// candidates (check names, backup files), file paths for `\i` and `\o`, and in SQL keywords
/// and catalog names (`SQLCompleter`).
struct CompletionProvider {
    let registry: CommandRegistry
    let variables: Variables
    let catalog: CatalogSnapshot
    /// For a command's own completion query (`\row`'s key values); nil inside a transaction.
    var idleSession: Session? = nil

    /// Commands whose argument is a file path.
    static let fileCommands: Set<String> = ["i", "o"]

    func candidates(for textBeforeCursor: String, statementSoFar: String) -> [String] {
        let line = textBeforeCursor
        let word = Self.currentWord(in: line)
        let lineStart = line.drop(while: { $0 == " " || $0 == "\t" })
        if lineStart.hasPrefix("\\") {
            let words = lineStart.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let typingName = words.count <= 1 && !(line.last?.isWhitespace ?? true)
            if typingName {
                let typed = word.dropFirst()
                return registry.sortedCommands.map(\.name).filter { $0.hasPrefix(typed) }.map { "\\" + $0 }
            }
            let name = String(words[0].dropFirst())
            let previous = Array(words.dropFirst().dropLast((line.last?.isWhitespace ?? true) ? 0 : 1))
            return argumentCandidates(command: name, previousWords: previous, word: word)
        }
        return SQLCompleter.candidates(for: statementSoFar + textBeforeCursor, catalog: catalog)
    }

    private func argumentCandidates(command name: String, previousWords: [String], word: String) -> [String] {
        if Self.fileCommands.contains(name) { return Self.paths(matching: word) }
        guard let command = registry.command(named: name) else { return [] }
        if word.hasPrefix("-") {
            return Self.optionNames(in: command.helpText).filter { $0.hasPrefix(word) }
        }
        var own: [String] = []
        if case .plugin(let type) = command.kind {
            let tables = catalog.tables.map { $0.schema == "public" ? SQLIdentifier.quotedIfNeeded($0.name)
                                                                    : SQLIdentifier.quotedIfNeeded($0.schema) + "." + SQLIdentifier.quotedIfNeeded($0.name) }
            own = type.completions(for: CompletionRequest(previousWords: previousWords, word: word, variables: variables, plugin: command.plugin,
                                                          tables: tables, idleSession: idleSession))
        }
        return own.filter { $0.hasPrefix(word) }.sorted()
    }

    /// The word Tab completes: the end of the line back to whitespace or SQL punctuation.
    static func currentWord(in line: String) -> String {
        String(line.reversed().prefix { !$0.isWhitespace && !"(),;=<>+*|".contains($0) }.reversed())
    }

    /// `--long` and `-s` option names from argument-parser's generated help.
    static func optionNames(in help: String) -> [String] {
        var names: Set<String> = []
        for token in help.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "|" || $0 == "[" || $0 == "]" }) {
            guard token.hasPrefix("-"), token.count > 1 else { continue }
            let name = String(token.prefix { $0 == "-" || $0.isLetter || $0.isNumber })
            if name.count > 1, name != "--" { names.insert(name) }
        }
        return names.sorted()
    }

    /// Files and folders starting with `prefix` (folders with a trailing `/`).
    static func paths(matching prefix: String) -> [String] {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        let expanded = prefix.hasPrefix("~/") ? home + prefix.dropFirst(1) : prefix
        let folder: String
        let start: String
        if let slash = expanded.lastIndex(of: "/") {
            folder = String(expanded[...slash])
            start = String(expanded[expanded.index(after: slash)...])
        } else {
            folder = ""
            start = expanded
        }
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        return listed.filter { $0.hasPrefix(start) && (start.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { entry in
            var isFolder: ObjCBool = false
            let path = folder + entry
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            let shown = prefix.hasPrefix("~/") ? "~" + path.dropFirst(home.count) : path
            return isFolder.boolValue ? shown + "/" : shown
        }
    }
}
