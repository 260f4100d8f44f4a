import CurateTestSupport
import Foundation
import Testing

/// docs/plugins.md's "Error messages, and what to do" quotes messages curate prints: each quoted
/// message must be one the code can print, so the guide never teaches a message that no longer
/// exists. A message is checked by its fixed parts (split at `…` and between clauses), found in
/// the source text.
@Suite("docs/plugins.md: the documented error messages exist in the code")
struct DocumentedMessagesTests {
    /// Every Swift source of the shell, the kit and the built-in plugins, with Swift's escapes
    /// (`\"`, `\\`) read as the characters they print.
    static func sourceText() throws -> String {
        let root = CurateBinary.packageRoot
        var text = ""
        for folder in ["Sources", "Plugins"] {
            let base = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                text += try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8) + "\n"
            }
        }
        return text.replacingOccurrences(of: "\\\\", with: "\u{1}").replacingOccurrences(of: "\\\"", with: "\"")
            .replacingOccurrences(of: "\u{1}", with: "\\")
    }

    /// The first column of each table row of the section: the message, in backquotes.
    static func documentedMessages() throws -> [String] {
        let docs = try String(contentsOf: CurateBinary.packageRoot.appendingPathComponent("docs/plugins.md"), encoding: .utf8)
        guard let start = docs.range(of: "## Error messages, and what to do") else { return [] }
        var messages: [String] = []
        for line in docs[start.upperBound...].split(separator: "\n") where line.hasPrefix("| `") {
            // The cell ends at the first " | " outside backquotes; an escaped \| belongs to the text.
            let cell = line.dropFirst(2).replacingOccurrences(of: "\\|", with: "\u{2}")
            let first = String(cell.split(separator: "|", maxSplits: 1).first ?? "")
            // The message is the cell's first quoted text (later ones are remarks).
            let parts = first.components(separatedBy: "`")
            if parts.count > 1 { messages.append(parts[1].replacingOccurrences(of: "\u{2}", with: "|")) }
        }
        return messages
    }

    @Test("each message quoted in the section is printed by curate (its fixed parts are in the code)")
    func messagesExist() throws {
        let source = try Self.sourceText()
        let messages = try Self.documentedMessages()
        #expect(messages.count > 60, "\(messages.count) messages found")
        for message in messages {
            // Messages are built from clauses (`what: why; what to do`): each clause is checked.
            let fragments = message.components(separatedBy: "…").flatMap { $0.components(separatedBy: "; ") }
                .flatMap { $0.components(separatedBy: ": ") }
            for fragment in fragments {
                let trimmed = fragment.trimmingCharacters(in: .whitespaces)
                // Short joints ("(", ": ") say nothing; the message's words must be there.
                guard trimmed.count >= 8 else { continue }
                if !source.contains(trimmed) { Issue.record("documented but not in the code: \(trimmed)  (in: \(message))") }
            }
        }
    }
}
