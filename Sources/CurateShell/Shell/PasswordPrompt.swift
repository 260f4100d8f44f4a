import CCurateSupport
import Foundation

/// Reads a password from the terminal with echo off, as psql does.
enum PasswordPrompt {
    /// What the person did at the prompt.
    enum Answer: Equatable {
        case entered(String)
        /// Ctrl-C: nothing typed is used (psql's \password then fails silently).
        case cancelled
        /// No terminal to ask on.
        case noTerminal
    }

    /// The password typed; nil without a terminal or after Ctrl-C.
    static func read(prompt: String) -> String? {
        if case .entered(let text) = ask(prompt: prompt) { return text }
        return nil
    }

    static func ask(prompt: String) -> Answer {
        let descriptor = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return .noTerminal }
        defer { close(descriptor) }
        var saved = termios()
        guard tcgetattr(descriptor, &saved) == 0 else { return .noTerminal }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ICANON)
        // Echo off before the prompt is shown, so nothing typed after seeing it is echoed or lost.
        tcsetattr(descriptor, TCSAFLUSH, &quiet)
        // An earlier Ctrl-C is forgotten before the prompt shows: one pressed once it is seen
        // must cancel, not be cleared by a later reset.
        _ = curate_take_interrupt()
        _ = prompt.withCString { write(descriptor, $0, strlen($0)) }
        defer {
            tcsetattr(descriptor, TCSAFLUSH, &saved)
            _ = write(descriptor, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            // The signal may reach another thread and leave read() blocked: wait on the
            // interrupt as well as on the terminal.
            if curate_wait_readable(descriptor) < 0 { return .cancelled }
            let count = Glibc.read(descriptor, &byte, 1)
            // Ctrl-C interrupts the read: the answer so far is dropped, never used.
            if count < 0, errno == EINTR || curate_take_interrupt() != 0 { return .cancelled }
            guard count == 1, byte != UInt8(ascii: "\n") else { break }
            bytes.append(byte)
        }
        if curate_take_interrupt() != 0 { return .cancelled }
        return .entered(String(decoding: bytes, as: UTF8.self))
    }
}
