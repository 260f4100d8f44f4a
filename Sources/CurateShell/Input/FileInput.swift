import CCurateSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines from a file descriptor (a script file or piped stdin), read in large blocks.
///
/// Reads bytes itself rather than through a line-editing library, which could lose piped input.
final class FileInput: InputSource {
    /// Empty for standard input read without `-f` (psql locates no message there).
    var name: String
    // `@exclusivity(unchecked)` here and below: read and written for every statement, on the
    // shell's one thread; the runtime's check of each access cost more than the access (decisions.md).
    @exclusivity(unchecked) private(set) var lineNumber = 0
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var atEnd = false

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
        // Bytes after `start` already searched: a line longer than one block is searched once,
        // not again after every block read (a 50 MB line was quadratic).
        var searched = 0
        while true {
            if let newline = newlineIndex(from: start + searched) {
                let event = decode(buffer[start..<newline])
                start = newline + 1
                return event
            }
            searched = buffer.count - start
            if atEnd {
                guard start < buffer.count else { return .endOfInput }
                let event = decode(buffer[start...])
                start = buffer.count
                return event
            }
            fill()
        }
    }

    /// The index of the first newline at or after `index` in the buffer (memchr).
    private func newlineIndex(from index: Int) -> Int? {
        guard index < buffer.count else { return nil }
        return buffer.withUnsafeBytes { bytes in
            memchr(bytes.baseAddress! + index, 0x0A, bytes.count - index).map { $0 - UnsafeMutableRawPointer(mutating: bytes.baseAddress!) }
        }
    }

    /// Reads the next block. `interruptible`: Ctrl-C ends the wait (returns false, nothing read)
    /// instead of reading on; otherwise false only at the end of the input or a read error.
    @discardableResult
    private func fill(interruptible: Bool = false) -> Bool {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        // The signal may reach another thread, leaving read() blocked: wait on the interrupt too.
        if interruptible, curate_wait_readable(descriptor) < 0 { return false }
        let chunk = 1 << 16
        let oldCount = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        var count = 0
        repeat {
            count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + oldCount, chunk) }
        } while count < 0 && errno == EINTR && !(interruptible && curate_interrupt_pending() != 0)
        let failure = count < 0 ? errno : 0
        buffer.removeLast(chunk - max(count, 0))
        if count < 0 && failure == EINTR { return false }
        if count < 0 { readFailure = failure }
        if count <= 0 { atEnd = true }
        return count > 0
    }

    /// The error of a failed read (the input then ends there).
    private(set) var readFailure: Int32?

    private func decode(_ bytes: ArraySlice<UInt8>) -> InputEvent {
        lineNumber += 1
        // A NUL would end the statement's text where libpq reads it: what follows it would be
        // lost silently (`delete from t <NUL>where ...` deleting every row).
        let hasNul = bytes.withUnsafeBytes { $0.count > 0 && memchr($0.baseAddress!, 0, $0.count) != nil }
        if hasNul { return .refused("line \(lineNumber) contains a NUL byte", stopsScript: true) }
        // Decoded (invalid bytes replaced), then compared with the bytes: a line that changed was
        // not valid UTF-8. (`String(validating:)` looks its generic parts up at run time, at every
        // line of a script.)
        let text = String(decoding: bytes, as: UTF8.self)
        let unchanged = text.utf8.withContiguousStorageIfAvailable { decoded in
            bytes.withUnsafeBufferPointer { original in
                decoded.count == original.count && (original.isEmpty || memcmp(decoded.baseAddress!, original.baseAddress!, original.count) == 0)
            }
        } ?? text.utf8.elementsEqual(bytes)
        guard unchanged else {
            return .refused("line \(lineNumber) is not valid UTF-8", stopsScript: false)
        }
        return .line(text)
    }

    // MARK: COPY data

    /// How reading COPY data ended.
    enum CopyDataEnd: Equatable {
        /// A line `\.`, or the end of the input: all the data was read.
        case complete
        /// Sending a block failed (the connection refused it).
        case sendFailed
        /// Ctrl-C while waiting for data.
        case interrupted
        /// Reading the input failed (errno).
        case readFailed(Int32)
    }

    /// The data of `COPY ... FROM STDIN` that follows the statement in this input, read as psql
    /// reads it: line by line, up to a line that is exactly `\.` (read and counted, not sent) or
    /// the end of the input (a last line without a newline is sent as it is). Binary data runs to
    /// the end of the input. Lines are counted as script lines (messages name the line after
    /// them); runs of whole lines go to `send` in blocks; nothing is decoded or interpreted.
    /// `beforeLine` is called before each line is read (the terminal's prompt).
    func readCopyData(binary: Bool, beforeLine: (() -> Void)?, send: (UnsafeRawBufferPointer) -> Bool) -> CopyDataEnd {
        // Once a block is refused, the rest of the data is still read (and dropped): it must
        // never be taken for the statements that follow it.
        var refused = false
        func deliver(_ range: Range<Int>) {
            guard !refused, !range.isEmpty else { return }
            refused = !buffer.withUnsafeBytes { send(UnsafeRawBufferPointer(rebasing: $0[range])) }
        }
        func ended() -> CopyDataEnd {
            if let readFailure { return .readFailed(readFailure) }
            return refused ? .sendFailed : .complete
        }
        beforeLine?()
        if binary {
            while true {
                deliver(start..<buffer.count)
                start = buffer.count
                if atEnd { return ended() }
                if !fill(interruptible: true), !atEnd { return .interrupted }
            }
        }
        while true {
            // Whole lines in the buffer, up to a `\.` line, go out as one block (one line at a
            // time when prompting).
            var runEnd = start
            var linesTaken = 0
            var terminated = false
            buffer.withUnsafeBufferPointer { bytes in
                while runEnd < bytes.count, let newline = newlineIndex(from: runEnd) {
                    lineNumber += 1
                    if Self.isEndMarker(bytes[runEnd..<newline]) {
                        terminated = true
                        return
                    }
                    runEnd = newline + 1
                    linesTaken += 1
                    if beforeLine != nil { return }
                }
            }
            deliver(start..<runEnd)
            start = runEnd
            if terminated {
                start = buffer[start...].firstIndex(of: UInt8(ascii: "\n"))! + 1
                return ended()
            }
            if linesTaken > 0, let beforeLine {
                beforeLine()
                continue
            }
            if atEnd {
                // A last line without a newline is sent, but not counted (as psql).
                deliver(start..<buffer.count)
                start = buffer.count
                // A terminal's end of input (Ctrl-D) ends this COPY's data, not the session.
                if isTerminal && readFailure == nil { atEnd = false }
                return ended()
            }
            if !fill(interruptible: true), !atEnd { return .interrupted }
        }
    }

    /// `\.` alone on a line (before `\n`, or `\r\n`).
    private static func isEndMarker(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let count = line.count
        guard count == 2 || count == 3 else { return false }
        let first = line.startIndex
        guard line[first] == UInt8(ascii: "\\"), line[first + 1] == UInt8(ascii: ".") else { return false }
        return count == 2 || line[first + 2] == UInt8(ascii: "\r")
    }

    /// Whether this input is a terminal (COPY data is then prompted for, line by line).
    var isTerminal: Bool { isatty(descriptor) != 0 }
}
