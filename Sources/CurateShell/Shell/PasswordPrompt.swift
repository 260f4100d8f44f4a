import Foundation

/// Reads a password from the terminal with echo off, as psql does; nil without a terminal.
enum PasswordPrompt {
    static func read(prompt: String) -> String? {
        let descriptor = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var saved = termios()
        guard tcgetattr(descriptor, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ICANON)
        // Echo off before the prompt is shown, so nothing typed after seeing it is echoed or lost.
        tcsetattr(descriptor, TCSAFLUSH, &quiet)
        _ = prompt.withCString { write(descriptor, $0, strlen($0)) }
        defer {
            tcsetattr(descriptor, TCSAFLUSH, &saved)
            _ = write(descriptor, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(descriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
