/// psql's csv format (`--csv`; `print_csv_text` and, with `\x on`, `print_csv_vertical` in
/// fe_utils/print.c). Streams: nothing is held between rows.
///
/// A header line unless `-t`; no footer. A field is quoted (`"`, with `"` doubled) when it
/// contains the separator, `\r`, `\n` or `"`, when it is exactly `\.`, or always when the separator
/// is `\` or `.` (`csv_print_field`). NULL prints as `nullDisplay`, under the same rules.
/// Expanded (`\x on`, not `auto`) prints one `column,value` line per field, without a header.
final class CSVRenderer: RowCountingRenderer {
    private let settings: OutputSettings
    private let expanded: Bool
    private let out: StagedOutput
    /// psql uses the first byte of `csv_fieldsep` (which it requires to be one byte).
    private let separator: UInt8
    private let alwaysQuote: Bool
    private let separatorPattern: UInt64
    /// `nullDisplay` as a finished csv field.
    private let nullField: [UInt8]
    /// Column names as finished csv fields.
    private var headerFields: [[UInt8]] = []
    private var rows = 0
    private(set) var lastResultRowCount = 0
    private let scratch = RenderBuffer(capacity: 1 << 12)

    init(settings: OutputSettings, writer: OutputWriter, expanded: Bool) {
        self.settings = settings
        self.expanded = expanded
        out = StagedOutput(writer: writer)
        separator = String(settings.csvFieldSeparator).utf8.first ?? 0x2C
        alwaysQuote = separator == RenderByte.backslash || separator == 0x2E
        separatorPattern = UInt64(separator) &* 0x0101_0101_0101_0101
        nullField = CSVRenderer.field(PsqlText.validatedBytes(settings.nullDisplay), separator: separator)
    }

    /// A finished csv field for already validated bytes (cold path).
    private static func field(_ bytes: [UInt8], separator: UInt8) -> [UInt8] {
        let b = RenderBuffer(capacity: bytes.count * 2 + 2)
        bytes.withUnsafeBytes { appendField($0, separator: separator, to: b) }
        return Array(b.bytes)
    }

    func begin(columns: [ColumnDescription]) {
        headerFields = columns.map { CSVRenderer.field(PsqlText.validatedBytes($0.name), separator: separator) }
        rows = 0
        if !expanded && !settings.tuplesOnly {
            let b = out.buffer
            for (i, header) in headerFields.enumerated() {
                if i > 0 { b.append(separator) }
                b.append(header)
            }
            b.append(RenderByte.newline)
        }
    }

    func row(_ values: some RowValues) {
        let n = headerFields.count
        let b = out.buffer
        if expanded {
            for c in 0..<n {
                b.append(headerFields[c])
                b.append(separator)
                appendValue(values, c, to: b)
                b.append(RenderByte.newline)
            }
        } else {
            for c in 0..<n {
                appendValue(values, c, to: b)
                b.append(c < n - 1 ? separator : RenderByte.newline)
            }
        }
        rows += 1
        out.drainIfFull()
    }

    /// One field. A non-empty value is never NULL, so `isNull` is asked only for empty values.
    @inline(__always)
    private func appendValue(_ values: some RowValues, _ c: Int, to b: RenderBuffer) {
        values.withValue(c) { value in
            if value.count == 0 && values.isNull(c) {
                b.append(nullField)
            } else if !appendPlainField(value, to: b) {
                appendSlowField(value, to: b)
            }
        }
    }

    /// The hot path: a field that needs neither quoting nor validation is copied as it is.
    /// Returns false (having written nothing) otherwise.
    @inline(__always)
    private func appendPlainField(_ value: UnsafeRawBufferPointer, to b: RenderBuffer) -> Bool {
        let n = value.count
        guard n > 0, let source = value.baseAddress else { return !alwaysQuote }
        if alwaysQuote { return false }
        var i = 0
        while i + 8 <= n {
            let x = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if x & 0x8080_8080_8080_8080 != 0 { return false }
            if CSVRenderer.hasByte(x, separatorPattern) || CSVRenderer.hasByte(x, 0x2222_2222_2222_2222)
                || CSVRenderer.hasByte(x, 0x0A0A_0A0A_0A0A_0A0A) || CSVRenderer.hasByte(x, 0x0D0D_0D0D_0D0D_0D0D) {
                return false
            }
            i += 8
        }
        let p = source.assumingMemoryBound(to: UInt8.self)
        while i < n {
            let c = p[i]
            if c >= 0x80 || c == separator || c == RenderByte.quote || c == RenderByte.newline || c == RenderByte.carriageReturn { return false }
            i += 1
        }
        if n == 2 && p[0] == RenderByte.backslash && p[1] == 0x2E { return false }
        b.append(value)
        return true
    }

    /// Whether any byte of `x` equals the byte repeated in `pattern`.
    @inline(__always)
    private static func hasByte(_ x: UInt64, _ pattern: UInt64) -> Bool {
        let y = x ^ pattern
        return (y &- 0x0101_0101_0101_0101) & ~y & 0x8080_8080_8080_8080 != 0
    }

    @inline(never)
    private func appendSlowField(_ value: UnsafeRawBufferPointer, to b: RenderBuffer) {
        scratch.removeAll()
        PsqlText.appendValidated(value, to: scratch)
        CSVRenderer.appendField(scratch.bytes, separator: separator, to: b)
    }

    /// psql's `csv_print_field` for validated bytes.
    private static func appendField(_ value: UnsafeRawBufferPointer, separator: UInt8, to b: RenderBuffer) {
        var needsQuotes = separator == RenderByte.backslash || separator == 0x2E
        if !needsQuotes {
            for c in value where c == separator || c == RenderByte.quote || c == RenderByte.newline || c == RenderByte.carriageReturn {
                needsQuotes = true
                break
            }
        }
        if !needsQuotes && value.count == 2 && value[0] == RenderByte.backslash && value[1] == 0x2E {
            needsQuotes = true
        }
        guard needsQuotes else {
            b.append(value)
            return
        }
        b.append(RenderByte.quote)
        for c in value {
            if c == RenderByte.quote { b.append(RenderByte.quote) }
            b.append(c)
        }
        b.append(RenderByte.quote)
    }

    func end(commandTag: String, rowCount: Int) {
        lastResultRowCount = rows
        out.finishResult(commandTag: commandTag, quiet: settings.quiet)
    }

    func command(tag: String) {
        out.finishWithTag(tag, quiet: settings.quiet)
    }
}
