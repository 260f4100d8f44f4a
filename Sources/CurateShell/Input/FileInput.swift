#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines from a file descriptor (a script file or piped stdin), read in large blocks.
///
/// Reads bytes itself rather than through a line-editing library, which could lose piped input.
final class FileInput: InputSource {
    let name: String
    private(set) var lineNumber = 0
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false

    init(descriptor: Int32, name: String, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.name = name
        self.ownsDescriptor = ownsDescriptor
    }

    /// Opens a script file; nil with errno set when it cannot be read.
    convenience init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        self.init(descriptor: descriptor, name: path, ownsDescriptor: true)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    func nextLine(prompt: String) -> InputEvent {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let event = decode(buffer[start..<newline])
                start = newline + 1
                return event
            }
            if atEnd {
                guard start < buffer.count else { return .endOfInput }
                let event = decode(buffer[start...])
                start = buffer.count
                return event
            }
            fill()
        }
    }

    private func fill() {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let chunk = 1 << 16
        let oldCount = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        var count = 0
        repeat {
            count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + oldCount, chunk) }
        } while count < 0 && errno == EINTR
        buffer.removeLast(chunk - max(count, 0))
        if count <= 0 { atEnd = true }
    }

    private func decode(_ bytes: ArraySlice<UInt8>) -> InputEvent {
        lineNumber += 1
        guard let text = String(validating: bytes, as: UTF8.self) else { return .invalidEncoding }
        return .line(text)
    }
}
