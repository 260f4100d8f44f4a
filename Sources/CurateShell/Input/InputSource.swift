/// Where the shell's lines come from: the line editor, a file or pipe, or a `-c` string.
protocol InputSource: AnyObject {
    /// How messages name this input (`curate:NAME:LINE: `): a file path, `<stdin>` for `-f -`;
    /// empty for input psql names no file for (`-c`, standard input without `-f`).
    var name: String { get }
    /// The line number of the line last read (1-based).
    var lineNumber: Int { get }
    /// Reads the next line, without its newline.
    func nextLine(prompt: String) -> InputEvent
}

enum InputEvent {
    case line(String)
    /// The line cannot be taken as it is (not valid UTF-8, a NUL byte): it is dropped, never
    /// guessed at or cut short; the reason names the line. `stopsScript`: a script stops there
    /// whatever ON_ERROR_STOP says.
    case refused(String, stopsScript: Bool)
    /// Ctrl-C at the prompt: the line typed so far is discarded.
    case interrupted
    case endOfInput
}
