import CCurateSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress line on stderr: label, a bar, done/total, rate (or a detail) and time left.
///
///     let progress = context.progress("backup fitsdata", total: 4)
///     progress.detail = "tables, 12.3 MB written"  // shown instead of the rate
///     progress.update(done: 1)                     // backup fitsdata [#####     ] 1/4 tables, 12.3 MB written ETA 0:09
///     progress.finish()
///
/// Drawn only at an interactive terminal, cut to its width, and redrawn at most ten times a
/// second; in scripts and when stderr is redirected it stays silent, so logs hold only results
/// and messages.
public final class Progress {
    public let label: String
    public private(set) var total: Int?
    public private(set) var done: Int = 0
    /// Shown after done/total in place of the rate, e.g. "tables, 12.3 MB written": for work
    /// whose items differ so much in size that a rate of items says little. Drawn at the next
    /// redraw.
    public var detail: String? {
        didSet { redraw(force: false) }
    }
    /// Whether the line is drawn at all (only at a terminal): work that only feeds the display,
    /// such as measuring a file, can be skipped when it is not.
    public var isVisible: Bool { enabled }
    private let console: Console
    private let enabled: Bool
    private let start: Double
    private var lastDraw: Double = 0
    private var drawn = false

    init(label: String, total: Int?, console: Console, enabled: Bool) {
        self.label = label
        self.total = total
        self.console = console
        self.enabled = enabled
        self.start = Self.now()
    }

    public func update(done: Int, total: Int? = nil) {
        self.done = done
        if let total { self.total = total }
        redraw(force: false)
    }

    public func advance(by count: Int = 1) {
        update(done: done + count)
    }

    /// Clears the progress line.
    public func finish() {
        guard enabled, drawn else { return }
        console.writeErrorRaw("\r\u{1B}[K")
        drawn = false
    }

    /// The line as drawn (tested without a terminal).
    public func line(now: Double? = nil) -> String {
        let elapsed = max((now ?? Self.now()) - start, 0.001)
        let rate = Double(done) / elapsed
        var text = label
        if let total, total > 0 {
            let fraction = min(Double(done) / Double(total), 1)
            let width = 20
            let filled = Int(fraction * Double(width))
            text += " [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "]"
            text += " \(done)/\(total)"
            if let detail { text += " " + detail }
            if rate > 0, done < total {
                text += " ETA \(Self.duration(Double(total - done) / rate))"
            }
        } else {
            text += " \(done)"
            if let detail { text += " " + detail }
        }
        if detail == nil { text += " (\(Self.rate(rate))/s)" }
        return text
    }

    private func redraw(force: Bool) {
        guard enabled else { return }
        let now = Self.now()
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        var text = line(now: now)
        // A line longer than the terminal would wrap, and every redraw would then add a line.
        // The line is drawn only when stderr (descriptor 2) is a terminal.
        if let columns = TerminalSize.of(2)?.columns, columns > 1, text.count >= columns {
            text = String(text.prefix(columns - 1))
        }
        console.writeErrorRaw("\r" + text + "\u{1B}[K")
        drawn = true
    }

    static func now() -> Double { MonotonicClock.seconds() }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? "\(total / 3600):\(pad(total / 60 % 60)):\(pad(total % 60))"
            : "\(total / 60):\(pad(total % 60))"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func rate(_ value: Double) -> String {
        value >= 1000 ? "\(Int(value / 1000))k" : "\(Int(value))"
    }
}
