#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered byte writer on a file descriptor: the one path by which results reach stdout or `\o FILE`.
///
/// Results can be millions of rows, so values are appended as raw bytes and written in large
/// blocks; nothing is converted to `String` on the way.
public final class OutputWriter {
    /// The descriptor written to (1 for stdout).
    public let fileDescriptor: Int32
    private let ownsDescriptor: Bool
    // `@exclusivity(unchecked)` here and below: read and written for every statement, on the
    // shell's one thread; the runtime's check of each access cost more than the access (decisions.md).
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    private let capacity: Int
    /// The first write error seen (for example EPIPE or ENOSPC); later writes are dropped.
    @exclusivity(unchecked) public private(set) var failure: Int32? = nil
    /// Where the bytes go; a pager's pipe replaces stdout when output overflows the screen.
    @exclusivity(unchecked) private var target: Int32
    /// While set, output is held in memory until it is more than `rows` lines or a line is wider
    /// than `columns`; then `overflow` is asked for another descriptor (a pager), or nil to go on.
    @exclusivity(unchecked) private var holdLimit: (rows: Int, columns: Int)?
    @exclusivity(unchecked) private var overflow: (() -> Int32?)?

    /// A writer on `fileDescriptor`, closing it at the end when `ownsDescriptor`, writing in blocks of `capacity` bytes.
    public init(fileDescriptor: Int32, ownsDescriptor: Bool = false, capacity: Int = 1 << 16) {
        self.fileDescriptor = fileDescriptor
        self.target = fileDescriptor
        self.ownsDescriptor = ownsDescriptor
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    deinit {
        flush()
        if ownsDescriptor { close(fileDescriptor) }
    }

    /// Appends one byte.
    @inline(__always)
    public func write(_ byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= capacity { flush() }
    }

    /// Appends bytes (a large block goes straight to the descriptor).
    public func write(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count >= capacity && holdLimit == nil {
            flush()
            writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { flush() }
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Appends `text` as UTF-8.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `count` copies of `byte` (padding).
    public func write(repeating byte: UInt8, count: Int) {
        guard count > 0 else { return }
        for _ in 0..<count { buffer.append(byte) }
        if buffer.count >= capacity { flush() }
    }

    /// Writes out what is buffered (unless output is being held to decide on a pager).
    public func flush() {
        guard !buffer.isEmpty else { return }
        if holdLimit != nil {
            guard buffer.count >= capacity || overflowsScreen() else { return }
            switchToOverflowTarget()
        }
        buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The error of a write that failed since the last call (a closed pipe, a full disk), cleared.
    package func takeFailure() -> Int32? {
        defer { failure = nil }
        return failure
    }

    /// Starts holding output for a possible pager (see `holdLimit`).
    package func holdForScreen(rows: Int, columns: Int, overflow: @escaping () -> Int32?) {
        flush()
        holdLimit = (rows, columns)
        self.overflow = overflow
        target = fileDescriptor
        failure = nil
    }

    /// Ends holding: what is held goes to the terminal (or on to the pager); returns to `fileDescriptor`.
    package func endHolding() {
        if holdLimit != nil, buffer.count >= capacity || overflowsScreen() { switchToOverflowTarget() }
        holdLimit = nil
        overflow = nil
        flush()
        target = fileDescriptor
        failure = nil
    }

    private func overflowsScreen() -> Bool {
        guard let limit = holdLimit else { return false }
        var lines = 0
        var width = 0
        for byte in buffer {
            if byte == UInt8(ascii: "\n") {
                lines += 1
                width = 0
                if lines >= limit.rows { return true }
            } else if byte & 0xC0 != 0x80 {
                width += 1
                if width > limit.columns { return true }
            }
        }
        return false
    }

    private func switchToOverflowTarget() {
        let replacement = overflow?()
        holdLimit = nil
        overflow = nil
        if let replacement { target = replacement }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            #if canImport(Glibc)
            let n = Glibc.write(target, base, remaining)
            #else
            let n = Darwin.write(target, base, remaining)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            remaining -= n
            base += n
        }
    }
}
