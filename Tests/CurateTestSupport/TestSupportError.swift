import Foundation

/// Errors of the integration-test helpers. Every description is meant to be
/// read in a failing test's output, so each carries what was seen.
public enum TestSupportError: Error, CustomStringConvertible, LocalizedError, Sendable {
    /// CURATE_TEST_HOST and friends are not set.
    case notConfigured(String)
    /// A program could not be started at all.
    case spawnFailed(String)
    /// psql exited non-zero (setup or assertion SQL failed).
    case psqlFailed(sql: String, status: Int32, output: String)
    /// A pseudo-terminal session did not show the expected text in time,
    /// or ended before showing it. `seen` is everything it printed so far.
    case ptyTimeout(waitingFor: String, seconds: Double, exited: Bool, seen: String)
    /// A pseudo-terminal session did not exit in time.
    case ptyExitTimeout(seconds: Double, seen: String)
    /// Writing to a pseudo-terminal failed (the program is gone?).
    case ptyWriteFailed(String, seen: String)

    public var description: String {
        switch self {
        case .notConfigured(let message):
            return message
        case .spawnFailed(let message):
            return message
        case .psqlFailed(let sql, let status, let output):
            return "psql exited with status \(status) running:\n\(sql)\n--- psql said ---\n\(output)"
        case .ptyTimeout(let text, let seconds, let exited, let seen):
            let why = exited ? "the program ended before printing" : "timed out after \(seconds) s waiting for"
            return "PTYSession: \(why) \(String(reflecting: text)). Everything seen so far:\n"
                + Self.framed(seen)
        case .ptyExitTimeout(let seconds, let seen):
            return "PTYSession: the program did not exit within \(seconds) s. Everything seen so far:\n"
                + Self.framed(seen)
        case .ptyWriteFailed(let message, let seen):
            return "PTYSession: \(message). Everything seen so far:\n" + Self.framed(seen)
        }
    }

    public var errorDescription: String? { description }

    static func framed(_ text: String) -> String {
        let rule = String(repeating: "-", count: 72)
        return "\(rule)\n\(text)\(text.hasSuffix("\n") || text.isEmpty ? "" : "\n")\(rule)"
    }
}
