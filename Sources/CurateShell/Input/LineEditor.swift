import CCurateLineEdit
import CCurateSupport
import CLibEdit
import Foundation

/// Interactive input through libedit: prompt, editing keys, history and Tab completion.
///
/// The C side stays in `CCurateSupport`; this type is the only one that touches it, and it
/// reaches itself from libedit callbacks through `EL_CLIENTDATA`.
final class LineEditor: InputSource {
    let name = "<stdin>"
    private(set) var lineNumber = 0
    private let editor: OpaquePointer
    private let history: OpaquePointer?
    private let historyFile: String?
    /// Given the text before the cursor, the candidates for the word being typed.
    var completer: ((String) -> [String])?

    init(historyFile: String?) {
        editor = curate_el_init("curate")
        history = curate_history_init(2000)
        self.historyFile = historyFile
        curate_el_set_editor(editor, "emacs")
        // libedit restores the terminal on Ctrl-C, then our handler runs and el_gets returns.
        curate_el_set_signal(editor, 1)
        if let history {
            curate_el_set_history(editor, history)
            if let historyFile { _ = curate_history_load(history, historyFile) }
        }
        curate_el_bind(editor, "^R", "em-inc-search-prev")
        curate_el_add_function(editor, "curate-complete", "complete a command name or word") { editor, _ in
            guard let editor, let data = curate_el_get_clientdata(editor) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        }
        curate_el_bind(editor, "^I", "curate-complete")
        _ = curate_el_source(editor)
        curate_el_set_clientdata(editor, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        if let history { curate_history_end(history) }
        curate_el_end(editor)
    }

    func nextLine(prompt: String) -> InputEvent {
        curate_el_set_prompt(editor, prompt)
        var count: Int32 = 0
        guard let line = el_gets(editor, &count) else {
            // el_gets reports end of input and Ctrl-C alike; the interrupt flag tells them apart.
            if curate_take_interrupt() != 0 {
                curate_el_reset(editor)
                Self.writeTerminal("\n")
                return .interrupted
            }
            return .endOfInput
        }
        lineNumber += 1
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    /// Adds one entry (a whole statement, even when it spans lines) and saves the file (0600).
    /// Writes the history to `file` (`\s`); false when it could not.
    func saveHistory(to file: String) -> Bool {
        guard let history else { return false }
        return curate_history_save(history, file) >= 0
    }

    func remember(_ entry: String) {
        guard let history, !entry.isEmpty else { return }
        _ = curate_history_enter(history, entry)
        guard let historyFile else { return }
        let descriptor = open(historyFile, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            fchmod(descriptor, 0o600)
            close(descriptor)
        }
        _ = curate_history_save(history, historyFile)
    }

    private func complete() -> UInt8 {
        guard let completer else { return UInt8(CC_ERROR) }
        var cursor: Int32 = 0
        var length: Int32 = 0
        guard let buffer = curate_el_line(editor, &cursor, &length) else { return UInt8(CC_ERROR) }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(cursor))
        let before = String(decoding: bytes, as: UTF8.self)
        let word = CompletionProvider.currentWord(in: before)
        let candidates = completer(before)
        guard !candidates.isEmpty else { return UInt8(CC_ERROR) }
        let common = Self.commonPrefix(candidates)
        if common.count > word.count, common.hasPrefix(word) {
            _ = curate_el_insert(editor, String(common.dropFirst(word.count)) + (candidates.count == 1 && !common.hasSuffix("/") && !common.hasSuffix(".") ? " " : ""))
            return UInt8(CC_REFRESH)
        }
        if common.count > word.count || (candidates.count == 1 && candidates[0] != word) {
            // A candidate that rewrites the word (case, quoting): replace it.
            curate_el_delete_before_cursor(editor, Int32(word.count))
            _ = curate_el_insert(editor, common.count > word.count ? common : candidates[0])
            return UInt8(CC_REFRESH)
        }
        if candidates.count == 1 {
            _ = curate_el_insert(editor, " ")
            return UInt8(CC_REFRESH)
        }
        Self.writeTerminal("\n" + candidates.joined(separator: "  ") + "\n")
        return UInt8(CC_REDISPLAY)
    }

    private static func writeTerminal(_ text: String) {
        _ = text.withCString { write(1, $0, strlen($0)) }
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
