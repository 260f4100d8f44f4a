/// Where the shell's lines come from: the line editor, a file or pipe, or a `-c` string.
protocol InputSource: AnyObject {
    /// How errors name this input: `<stdin>`, a file path, `-c`.
    var name: String { get }
    /// The line number of the line last read (1-based).
    var lineNumber: Int { get }
    /// Reads the next line, without its newline.
    func nextLine(prompt: String) -> InputEvent
}

enum InputEvent {
    case line(String)
    /// The line's bytes are not valid UTF-8; they are dropped, not guessed at.
    case invalidEncoding
    /// Ctrl-C at the prompt: the line typed so far is discarded.
    case interrupted
    case endOfInput
}
