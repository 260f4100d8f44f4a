#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import CurateKit

/// A synthetic 17-column row shaped like the benchmark's `diskfile` table, with values from a
/// small pool (so making rows costs next to nothing) and some NULLs.
struct SyntheticRow: RowValues {
    final class Pool: Sendable {
        /// values[column][k]: the UTF-8 bytes of one value.
        let values: [[[UInt8]]]

        init(variants: Int) {
            var columns = Array(repeating: [[UInt8]](), count: SyntheticRow.columns.count)
            for k in 0..<variants {
                let row: [String] = [
                    "\(k + 1)", "\(k * 7 + 3)", "N2019\(k % 12 + 1)S\(1000 + k).fits.bz2", "/data/raw/2019/\(k % 28)",
                    k % 3 == 0 ? "f" : "t", k % 5 == 0 ? "f" : "t", "6f1ed002ab5595859014ebf0951522d9".shuffledDigits(k),
                    "\(4_190_400 + k * 2880)", "2019-0\(k % 9 + 1)-1\(k % 10) 0\(k % 10):1\(k % 6):2\(k % 10).\(100_000 + k)+00",
                    "2019-0\(k % 9 + 1)-1\(k % 10) 0\(k % 10):3\(k % 6):0\(k % 10)+00", k % 2 == 0 ? "t" : "f",
                    "a3c8f1b2e4d5968778695a4b3c2d1e0f".shuffledDigits(k + 1), "\(8_400_000 + k)", "t", "\(k % 4)", "0",
                    k % 7 == 0 ? "f" : "t",
                ]
                for (c, value) in row.enumerated() { columns[c].append(Array(value.utf8)) }
            }
            values = columns
        }
    }

    static let columns: [ColumnDescription] = [
        .init(name: "id", typeOID: TypeOID.int4), .init(name: "file_id", typeOID: TypeOID.int4),
        .init(name: "filename", typeOID: TypeOID.text), .init(name: "path", typeOID: TypeOID.text),
        .init(name: "present", typeOID: TypeOID.bool), .init(name: "canonical", typeOID: TypeOID.bool),
        .init(name: "file_md5", typeOID: TypeOID.text), .init(name: "file_size", typeOID: TypeOID.int8),
        .init(name: "lastmod", typeOID: 1184), .init(name: "entrytime", typeOID: 1184),
        .init(name: "compressed", typeOID: TypeOID.bool), .init(name: "data_md5", typeOID: TypeOID.text),
        .init(name: "data_size", typeOID: TypeOID.int8), .init(name: "isfits", typeOID: TypeOID.bool),
        .init(name: "fvwarnings", typeOID: TypeOID.int4), .init(name: "fverrors", typeOID: TypeOID.int4),
        .init(name: "mdready", typeOID: TypeOID.bool),
    ]

    let pool: Pool
    let row: Int

    var count: Int { SyntheticRow.columns.count }

    func isNull(_ column: Int) -> Bool { column == 3 && row % 11 == 0 }

    func withValue<R>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if isNull(column) { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let variants = pool.values[column]
        return try variants[row % variants.count].withUnsafeBytes(body)
    }
}

extension String {
    fileprivate func shuffledDigits(_ seed: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String(map { c in c.isHexDigit ? digits[(Int(String(c), radix: 16)! + seed) % 16] : c })
    }
}

@Suite("Large results")
struct LargeResultRendererTests {
    static let rows = 200_000

    static let cases: [(String, OutputSettings.Format, OutputSettings.Expanded)] = [
        ("aligned", .aligned, .off), ("expanded", .aligned, .on), ("unaligned", .unaligned, .off),
        ("unaligned expanded", .unaligned, .on), ("csv", .csv, .off), ("json", .json, .off),
    ]

    @Test(arguments: cases)
    func rendersEveryRowToDevNull(name: String, format: OutputSettings.Format, expanded: OutputSettings.Expanded) {
        let fd = open("/dev/null", O_WRONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        var settings = OutputSettings()
        settings.format = format
        settings.expanded = expanded
        let writer = OutputWriter(fileDescriptor: fd)
        let renderer = makeRenderer(settings: settings, writer: writer, windowRows: AlignedRenderer.defaultWindowRows)
        let pool = SyntheticRow.Pool(variants: 997)
        renderer.begin(columns: SyntheticRow.columns)
        for row in 0..<Self.rows {
            renderer.row(SyntheticRow(pool: pool, row: row))
        }
        renderer.end(commandTag: "SELECT \(Self.rows)", rowCount: Self.rows)
        writer.flush()
        #expect(renderer.lastResultRowCount == Self.rows, "\(name)")
        #expect(writer.failure == nil)
    }

    /// psql's other layouts over a large result: each streams window by window (or row by row)
    /// and prints every row.
    static let psetCases: [(String, @Sendable (inout OutputSettings) -> Void)] = [
        ("wrapped to 80 columns, border 2, unicode", { $0.format = .wrapped; $0.columns = 80; $0.border = 2; $0.lineStyle = .unicode }),
        ("wrapped expanded to 60 columns", { $0.format = .wrapped; $0.columns = 60; $0.expanded = .on }),
        ("border 0, old-ascii", { $0.border = 0; $0.lineStyle = .oldAscii }),
        ("expanded, border 2", { $0.border = 2; $0.expanded = .on }),
        ("numericlocale", { $0.numericLocale = true }),
        ("html", { $0.format = .html }), ("asciidoc", { $0.format = .asciidoc }), ("latex", { $0.format = .latex }),
        ("latex-longtable", { $0.format = .latexLongtable }), ("troff-ms expanded", { $0.format = .troffMs; $0.expanded = .on }),
    ]

    @Test(arguments: psetCases)
    func rendersEveryRowInEveryLayout(name: String, configure: @Sendable (inout OutputSettings) -> Void) {
        let fd = open("/dev/null", O_WRONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        var settings = OutputSettings()
        configure(&settings)
        let writer = OutputWriter(fileDescriptor: fd)
        let renderer = makeRenderer(settings: settings, writer: writer, windowRows: AlignedRenderer.defaultWindowRows)
        let pool = SyntheticRow.Pool(variants: 997)
        let rows = Self.rows / 20
        renderer.begin(columns: SyntheticRow.columns)
        for row in 0..<rows {
            renderer.row(SyntheticRow(pool: pool, row: row))
        }
        renderer.end(commandTag: "SELECT \(rows)", rowCount: rows)
        writer.flush()
        #expect(renderer.lastResultRowCount == rows, "\(name)")
        #expect(writer.failure == nil)
    }

    /// The aligned footer counts every row across windows.
    @Test func alignedFooterCountsAllWindows() {
        let pool = SyntheticRow.Pool(variants: 13)
        var settings = OutputSettings()
        settings.tuplesOnly = false
        let output = renderedBytes(settings: settings, windowRows: 1000) { renderer in
            renderer.begin(columns: SyntheticRow.columns)
            for row in 0..<2_500 { renderer.row(SyntheticRow(pool: pool, row: row)) }
            renderer.end(commandTag: "SELECT 2500", rowCount: 2_500)
        }
        let text = renderedText(output)
        #expect(text.hasSuffix("\n(2500 rows)\n\n"))
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 2 + 2_500 + 3)
    }
}
