/// Lines of a `-c` command string.
final class StringInput: InputSource {
    let name: String
    private(set) var lineNumber = 0
    private var lines: [Substring]

    init(_ text: String, name: String = "-c") {
        self.name = name
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func nextLine(prompt: String) -> InputEvent {
        guard lineNumber < lines.count else { return .endOfInput }
        lineNumber += 1
        return .line(String(lines[lineNumber - 1]))
    }
}
