#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import CurateKit


/// The output settings of a fixture, with psql's defaults.
struct FixtureSettings: Sendable {
    var format: OutputSettings.Format = .aligned
    var expanded: OutputSettings.Expanded = .off
    var tuplesOnly = false
    var footer = true
    var nullDisplay = ""
    var fieldSeparator = "|"
    var csvFieldSeparator: Character = ","
    var terminalWidth: Int? = nil

    var outputSettings: OutputSettings {
        var settings = OutputSettings()
        settings.format = format
        settings.expanded = expanded
        settings.tuplesOnly = tuplesOnly
        settings.footer = footer
        settings.nullDisplay = nullDisplay
        settings.fieldSeparator = fieldSeparator
        settings.csvFieldSeparator = csvFieldSeparator
        settings.terminalWidth = terminalWidth
        return settings
    }
}

/// One result and the output psql printed for it with some options.
struct PsqlFixture: Sendable, CustomTestStringConvertible {
    let name: String
    /// The psql command line that produced `expected`.
    let psql: String
    let settings: FixtureSettings
    /// The aligned formats' window (psql's `FETCH_COUNT` for the windowed fixtures).
    var windowRows: Int = AlignedRenderer.defaultWindowRows
    /// nil: a result without rows (`command(tag:)`).
    let columns: [ColumnDescription]?
    let rows: [[String?]]
    let commandTag: String
    /// psql's output, line by line (each line ends with a newline).
    let expected: [String]

    var testDescription: String { name }

    var expectedBytes: [UInt8] {
        expected.isEmpty ? [] : Array((expected.joined(separator: "\n") + "\n").utf8)
    }
}

/// Renders through a renderer from `makeRenderer` into a temporary file and returns the bytes.
func renderedBytes(
    settings: OutputSettings,
    windowRows: Int = AlignedRenderer.defaultWindowRows,
    _ body: (any RowCountingRenderer) -> Void
) -> [UInt8] {
    var template = Array("/tmp/curate-render-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    precondition(fd >= 0, "mkstemp failed")
    defer {
        close(fd)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }
    do {
        let writer = OutputWriter(fileDescriptor: fd)
        let renderer = makeRenderer(settings: settings, writer: writer, windowRows: windowRows)
        body(renderer)
        writer.flush()
    }
    let size = Int(lseek(fd, 0, SEEK_END))
    _ = lseek(fd, 0, SEEK_SET)
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
        precondition(n > 0, "read failed")
        done += n
    }
    return bytes
}

/// Renders one result set (or one command) and returns the bytes.
func renderResult(
    _ settings: OutputSettings,
    windowRows: Int = AlignedRenderer.defaultWindowRows,
    columns: [ColumnDescription]?,
    rows: [[String?]],
    commandTag: String? = nil
) -> [UInt8] {
    renderedBytes(settings: settings, windowRows: windowRows) { renderer in
        guard let columns else {
            renderer.command(tag: commandTag ?? "")
            return
        }
        renderer.begin(columns: columns)
        for row in rows { renderer.row(TextRowValues(row)) }
        renderer.end(commandTag: commandTag ?? "SELECT \(rows.count)", rowCount: rows.count)
    }
}

/// Bytes shown for a failed comparison.
func renderedText(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// A string from UTF-8 bytes, for text Swift literals cannot spell (noncharacters such as U+FFFE).
func stringFromUTF8(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}
