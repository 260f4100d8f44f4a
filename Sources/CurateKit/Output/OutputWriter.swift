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
    public let fileDescriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// The first write error seen (for example EPIPE or ENOSPC); later writes are dropped.
    public private(set) var failure: Int32? = nil

    public init(fileDescriptor: Int32, ownsDescriptor: Bool = false, capacity: Int = 1 << 16) {
        self.fileDescriptor = fileDescriptor
        self.ownsDescriptor = ownsDescriptor
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    deinit {
        flush()
        if ownsDescriptor { close(fileDescriptor) }
    }

    @inline(__always)
    public func write(_ byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= capacity { flush() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count >= capacity {
            flush()
            writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { flush() }
    }

    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

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

    public func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            #if canImport(Glibc)
            let n = Glibc.write(fileDescriptor, base, remaining)
            #else
            let n = Darwin.write(fileDescriptor, base, remaining)
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
