#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal without line editing (`-n`, psql's `--no-readline`): the prompt is printed on
/// stdout and the line read from stdin as typed, with no history and no Tab completion.
final class PlainTerminalInput: InputSource {
    private let input = FileInput(descriptor: 0, name: "<stdin>", ownsDescriptor: false)

    var name: String { input.name }
    var lineNumber: Int { input.lineNumber }

    func nextLine(prompt: String) -> InputEvent {
        _ = prompt.withCString { write(1, $0, strlen($0)) }
        return input.nextLine(prompt: prompt)
    }
}
