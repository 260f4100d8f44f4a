/// psql's unaligned format (`-A`; `print_unaligned_text` and, with `\x`, `print_unaligned_vertical`
/// in fe_utils/print.c). Streams: nothing is held between rows.
///
/// ```
/// id|name          id|1           (expanded: "column|value" lines,
/// 1|first          name|first      an empty line between records,
/// (1 row)                          no footer)
/// ```
/// Values are printed as they are (after psql's UTF-8 validation), `fieldSeparator` between
/// fields, `recordSeparator` between records (newline by default); the last record ends with a
/// newline whatever the record separator, or with a zero byte when that is the separator (`-0`).
final class UnalignedRenderer: RowCountingRenderer {
    private let settings: OutputSettings
    private let expanded: Bool
    private let out: StagedOutput
    private let separator: [UInt8]
    /// The separator when it is one byte (the usual `|`): appended without touching the array.
    private let separatorByte: UInt8?
    private let nullDisplay: [UInt8]
    private let recordSeparator: [UInt8]
    /// The record separator when it is one byte (the usual newline), as `separatorByte`.
    private let recordSeparatorByte: UInt8?
    /// What ends the output: a newline, or the zero byte of `-0` (as `find -print0`).
    private let terminator: UInt8
    private var headers: [[UInt8]] = []
    private var needRecordSeparator = false
    private var rows = 0
    private(set) var lastResultRowCount = 0

    init(settings: OutputSettings, writer: OutputWriter, expanded: Bool) {
        self.settings = settings
        self.expanded = expanded
        out = StagedOutput(writer: writer)
        separator = Array(settings.fieldSeparator.utf8)
        separatorByte = separator.count == 1 ? separator[0] : nil
        nullDisplay = PsqlText.validatedBytes(settings.nullDisplay)
        recordSeparator = Array(settings.recordSeparator.utf8)
        recordSeparatorByte = recordSeparator.count == 1 ? recordSeparator[0] : nil
        terminator = settings.recordSeparator == "\0" ? 0 : RenderByte.newline
    }

    func begin(columns: [ColumnDescription]) {
        headers = columns.map { PsqlText.validatedBytes($0.name) }
        rows = 0
        needRecordSeparator = false
        // psql's `\C` title, followed by the record separator; in expanded output it stands as a
        // record of its own.
        if !settings.tuplesOnly, let title = settings.title {
            out.buffer.append(PsqlText.validatedBytes(title))
            if expanded { needRecordSeparator = true } else { out.buffer.append(recordSeparator) }
        }
        if !expanded && !settings.tuplesOnly {
            let b = out.buffer
            for (i, header) in headers.enumerated() {
                if i > 0 { b.append(separator) }
                b.append(header)
            }
            needRecordSeparator = true
        }
    }

    func row(_ values: some RowValues) {
        let n = headers.count
        let b = out.buffer
        if expanded {
            for c in 0..<n {
                if needRecordSeparator {
                    b.append(recordSeparator)
                    b.append(recordSeparator)
                    needRecordSeparator = false
                }
                b.append(headers[c])
                b.append(separator)
                appendValue(values, c, to: b)
                if c < n - 1 {
                    b.append(recordSeparator)
                } else {
                    needRecordSeparator = true
                }
            }
        } else if n > 0 {
            if needRecordSeparator {
                if let byte = recordSeparatorByte { b.append(byte) } else { b.append(recordSeparator) }
            }
            for c in 0..<n {
                appendValue(values, c, to: b)
                if c < n - 1 {
                    if let byte = separatorByte { b.append(byte) } else { b.append(separator) }
                }
            }
            needRecordSeparator = true
        }
        rows += 1
        out.drainIfFull()
    }

    /// One value. A non-empty value is never NULL, so `isNull` is asked only for empty values.
    @inline(__always)
    private func appendValue(_ values: some RowValues, _ c: Int, to b: RenderBuffer) {
        values.withValue(c) { value in
            if value.count == 0 && values.isNull(c) {
                b.append(nullDisplay)
            } else {
                PsqlText.appendValidated(value, to: b)
            }
        }
    }

    func end(commandTag: String, rowCount: Int) {
        let b = out.buffer
        if expanded, let footers = settings.ownFooters {
            // Under an expanded table psql's print_unaligned_vertical puts one more separator
            // first, and leaves the final newline to whether a record (or title) came before.
            if !settings.tuplesOnly {
                b.append(recordSeparator)
                for line in footers {
                    b.append(recordSeparator)
                    b.append(PsqlText.validatedBytes(line))
                }
            }
        } else if let footers = settings.tableFooters {
            // The table's own footers (psql's print_unaligned_text).
            if !settings.tuplesOnly {
                for line in footers {
                    if needRecordSeparator { b.append(recordSeparator) }
                    b.append(PsqlText.validatedBytes(line))
                    needRecordSeparator = true
                }
            }
        } else if !expanded && !settings.tuplesOnly && settings.footer {
            if needRecordSeparator { b.append(recordSeparator) }
            b.append(PsqlText.rowCountFooter(rows))
            needRecordSeparator = true
        }
        if needRecordSeparator { b.append(terminator) }
        lastResultRowCount = rows
        out.finishResult(commandTag: commandTag, quiet: settings.quiet)
    }

    func command(tag: String) {
        out.finishWithTag(tag, quiet: settings.quiet)
    }
}

extension PsqlText {
    /// Appends a value as psql prints it in the unaligned and csv formats: its bytes, less any
    /// invalid UTF-8 (`mbvalidate`).
    @inline(__always)
    static func appendValidated(_ value: UnsafeRawBufferPointer, to b: RenderBuffer) {
        let n = value.count
        guard n > 0, let source = value.baseAddress else { return }
        b.reserve(n)
        let destination = b.end
        UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: n)
        if hasHighBit(destination, count: n) && !DisplayWidth.isValid(destination, count: n) {
            b.count += DisplayWidth.dropInvalidSequences(destination, count: n)
        } else {
            b.count += n
        }
    }

    /// Whether any byte is >= 0x80. Eight bytes at a time.
    @inline(__always)
    static func hasHighBit(_ p: UnsafePointer<UInt8>, count: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        var i = 0
        var acc: UInt64 = 0
        while i + 8 <= count {
            acc |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        var tail: UInt8 = 0
        while i < count {
            tail |= p[i]
            i += 1
        }
        return acc & 0x8080_8080_8080_8080 != 0 || tail & 0x80 != 0
    }
}
