import CurateKit

/// The elapsed-time spinner on stderr for a statement that runs longer than a second.
/// Only at an interactive terminal; it erases itself before results are printed.
final class Spinner {
    private let console: Console
    private var frame = 0
    private var shown = false
    private static let frames = ["|", "/", "-", "\\"]

    init(console: Console) {
        self.console = console
    }

    func update(elapsed: Double) {
        guard elapsed >= 1 else { return }
        frame = (frame + 1) % Self.frames.count
        console.writeErrorRaw("\r\(Self.frames[frame]) running for \(StatementTiming.fixed(elapsed, digits: 1)) s (Ctrl-C cancels)\u{1B}[K")
        shown = true
    }

    func clear() {
        guard shown else { return }
        console.writeErrorRaw("\r\u{1B}[K")
        shown = false
    }
}
