/// A growable byte buffer on manually managed memory: the renderers' output staging area and the
/// aligned renderer's window storage.
///
/// Hot loops call `reserve(_:)` once and then write through `end` with plain pointer arithmetic,
/// setting `count` once at the end; the checked `append` methods are for the cold paths.
///
/// `slack` bytes past `capacity` are allocated too, so that a hot loop may read or write up to
/// `slack` bytes past the end of what it reserved (copying short values eight bytes at a time).
final class RenderBuffer {
    static let slack = 16

    private(set) var base: UnsafeMutablePointer<UInt8>
    var count: Int = 0
    private(set) var capacity: Int
    private let initialCapacity: Int

    init(capacity: Int = 1 << 16) {
        let capacity = max(capacity, 16)
        self.capacity = capacity
        self.initialCapacity = capacity
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + RenderBuffer.slack)
    }

    deinit { base.deallocate() }

    /// The first free byte; valid until the next `reserve` or `append`.
    @inline(__always)
    var end: UnsafeMutablePointer<UInt8> { base + count }

    @inline(__always)
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    @inline(never)
    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + RenderBuffer.slack)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard n > 0, let source = bytes.baseAddress else { return }
        reserve(n)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: n)
        count += n
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    func append(repeating byte: UInt8, count n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).initialize(repeating: byte, count: n)
        count += n
    }

    /// Appends an integer in decimal.
    func appendDecimal(_ value: Int) {
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 { probe /= 10; digits += 1 }
        let length = digits + (value < 0 ? 1 : 0)
        reserve(length)
        var p = base + count + length
        repeat {
            p -= 1
            p.pointee = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
            magnitude /= 10
        } while magnitude > 0
        if value < 0 { (p - 1).pointee = 0x2D }
        count += length
    }

    func removeAll() { count = 0 }

    /// Empties the buffer and gives back memory grown for an unusually large window or value.
    func reset() {
        count = 0
        if capacity > initialCapacity * 16 {
            base.deallocate()
            base = UnsafeMutablePointer<UInt8>.allocate(capacity: initialCapacity + RenderBuffer.slack)
            capacity = initialCapacity
        }
    }
}

/// The renderers' path to an `OutputWriter`: bytes are staged in a `RenderBuffer` and handed to the
/// writer in blocks of at least `threshold` bytes (which the writer writes straight through).
final class StagedOutput {
    let writer: OutputWriter
    let buffer: RenderBuffer
    private let threshold: Int

    /// In the html format psql prints command tags as `<p>TAG</p>` (its `PrintQueryStatus`).
    var htmlStatus = false

    init(writer: OutputWriter, threshold: Int = 1 << 16) {
        self.writer = writer
        self.threshold = threshold
        // Small at first, grown by the first big result: most statements print one status line,
        // and a renderer is made for each.
        buffer = RenderBuffer(capacity: min(threshold * 2, 4096))
    }

    /// A result abandoned midway (a server error after some rows): what was rendered still goes
    /// out, so streamed output never loses rows it has already formatted.
    deinit { drain() }

    /// A command tag on its own line (`INSERT 0 1`), then everything goes out. `quiet` (psql's
    /// QUIET) leaves the tag out.
    func finishWithTag(_ tag: String, quiet: Bool = false) {
        if !quiet {
            if htmlStatus {
                buffer.append("<p>")
                buffer.append(tag.replacingHTMLSpecials())
                buffer.append("</p>\n")
            } else {
                buffer.append(tag)
                buffer.append(RenderByte.newline)
            }
        }
        drain()
    }

    /// The end of a result: psql prints the status line after the rows of INSERT/UPDATE/DELETE
    /// ... RETURNING only (and not at all when QUIET).
    func finishResult(commandTag: String, quiet: Bool = false) {
        if PsqlText.printsStatusAfterRows(commandTag) {
            finishWithTag(commandTag, quiet: quiet)
        } else {
            drain()
        }
    }

    /// Hands the staged bytes to the writer once there are enough of them.
    @inline(__always)
    func drainIfFull() {
        if buffer.count >= threshold { drain() }
    }

    /// Hands every staged byte to the writer (call at the end of each result and command).
    func drain() {
        guard buffer.count > 0 else { return }
        writer.write(buffer.bytes)
        buffer.reset()
    }
}

/// The bytes the renderers write most.
enum RenderByte {
    static let space: UInt8 = 0x20
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let tab: UInt8 = 0x09
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let pipe: UInt8 = 0x7C
    static let plus: UInt8 = 0x2B
    static let minus: UInt8 = 0x2D
}

/// Shared pieces of psql's output that every format needs.
enum PsqlText {
    /// psql's default footer: `(1 row)`, `(N rows)`.
    static func rowCountFooter(_ rows: Int) -> String {
        rows == 1 ? "(1 row)" : "(\(rows) rows)"
    }

    /// psql prints the command status after the rows of INSERT/UPDATE/DELETE ... RETURNING
    /// (`PrintQueryResult` in psql 15's common.c).
    static func printsStatusAfterRows(_ commandTag: String) -> Bool {
        commandTag.hasPrefix("INSERT") || commandTag.hasPrefix("UPDATE") || commandTag.hasPrefix("DELETE")
    }

    /// The UTF-8 bytes of `text` after psql's `mbvalidate` (which drops invalid sequences).
    static func validatedBytes(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return bytes }
        let n = bytes.withUnsafeMutableBufferPointer { DisplayWidth.dropInvalidSequences($0.baseAddress!, count: $0.count) }
        bytes.removeLast(bytes.count - n)
        return bytes
    }
}

/// Lets tests and the shell ask a renderer how many rows it printed.
package protocol RowCountingRenderer: ResultRenderer {
    /// Rows printed for the most recent result set (as passed to `row`).
    var lastResultRowCount: Int { get }
}
