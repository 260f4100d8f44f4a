/// The lines of the statement a person is typing, joined into one history entry once it is
/// complete (a statement over several lines is recalled as one).
///
/// Only a person's input goes to history: for a script (`-f`, piped stdin, `\i`) nothing is
/// collected, since nothing would ever take it: a script of 100,000 lines would otherwise hold
/// every one of them until it ended.
struct PendingHistoryEntry {
    /// False for a script: `add` keeps nothing.
    let isRecording: Bool
    /// The lines since the last complete entry (empty when not recording).
    private(set) var lines: [String] = []

    init(recording: Bool) {
        isRecording = recording
    }

    mutating func add(_ line: String) {
        guard isRecording else { return }
        lines.append(line)
    }

    /// Drops the lines of a statement abandoned (Ctrl-C, invalid input).
    mutating func discard() {
        lines.removeAll()
    }

    /// Once the statement buffer is empty: the entry to remember, or nil when there is none or it
    /// holds a password; starts the next entry either way.
    mutating func take() -> String? {
        guard !lines.isEmpty else { return nil }
        let entry = lines.joined(separator: "\n")
        lines.removeAll()
        return HistoryFilter.holdsPassword(entry) ? nil : entry
    }
}
