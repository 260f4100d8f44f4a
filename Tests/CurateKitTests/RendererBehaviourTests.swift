import Testing
@testable import CurateKit

/// What the psql fixtures cannot show: several results through one renderer, the `\x auto`
/// decision across windows, the bounded window, the factory.
@Suite("Renderer behaviour")
struct RendererBehaviourTests {
    private func settings(_ format: OutputSettings.Format, expanded: OutputSettings.Expanded = .off) -> OutputSettings {
        var settings = OutputSettings()
        settings.format = format
        settings.expanded = expanded
        return settings
    }

    private let columns: [ColumnDescription] = [.init(name: "id", typeOID: TypeOID.int4), .init(name: "name", typeOID: TypeOID.text)]

    @Test(arguments: [OutputSettings.Format.aligned, .unaligned, .csv, .json])
    func severalResultsPrintLikeEachAlone(format: OutputSettings.Format) {
        let first: [[String?]] = [["1", "one"], ["22", nil]]
        let second: [[String?]] = [["333", "three\nlines"]]
        let together = renderedBytes(settings: settings(format)) { renderer in
            for rows in [first, second] {
                renderer.begin(columns: columns)
                for row in rows { renderer.row(TextRowValues(row)) }
                renderer.end(commandTag: "SELECT \(rows.count)", rowCount: rows.count)
                renderer.command(tag: "CREATE TABLE")
            }
        }
        let alone = renderResult(settings(format), columns: columns, rows: first)
            + renderResult(settings(format), columns: nil, rows: [], commandTag: "CREATE TABLE")
            + renderResult(settings(format), columns: columns, rows: second)
            + renderResult(settings(format), columns: nil, rows: [], commandTag: "CREATE TABLE")
        #expect(together == alone)
    }

    @Test func factoryPicksTheRenderer() {
        let writer = OutputWriter(fileDescriptor: -1)
        #expect(makeRenderer(settings: settings(.aligned), writer: writer) is AlignedRenderer)
        #expect(makeRenderer(settings: settings(.aligned, expanded: .auto), writer: writer) is AlignedRenderer)
        #expect(makeRenderer(settings: settings(.aligned, expanded: .on), writer: writer) is ExpandedRenderer)
        #expect(makeRenderer(settings: settings(.unaligned, expanded: .on), writer: writer) is UnalignedRenderer)
        #expect(makeRenderer(settings: settings(.csv), writer: writer) is CSVRenderer)
        #expect(makeRenderer(settings: settings(.json, expanded: .on), writer: writer) is JSONRenderer)
    }

    /// psql without a pager decides `\x auto` per FETCH_COUNT chunk; curate decides on the first
    /// window and keeps that layout for the whole result.
    @Test func expandedAutoIsDecidedByTheFirstWindow() {
        var auto = settings(.aligned, expanded: .auto)
        auto.terminalWidth = 12
        let narrowFirst: [[String?]] = [["1", "a"], ["2", "b"], ["3", "a much wider value"]]
        let table = renderResult(auto, windowRows: 2, columns: columns, rows: narrowFirst)
        #expect(renderedText(table) == " id | name \n----+------\n  1 | a\n  2 | b\n  3 | a much wider value\n(3 rows)\n\n")
        let wideFirst: [[String?]] = [["1", "a much wider value"], ["2", "b"], ["3", "c"]]
        let expanded = renderResult(auto, windowRows: 2, columns: columns, rows: wideFirst)
        #expect(renderedText(expanded) == """
            -[ RECORD 1 ]------------
            id   | 1
            name | a much wider value
            -[ RECORD 2 ]------------
            id   | 2
            name | b
            -[ RECORD 3 ]
            id   | 3
            name | c


            """)
    }

    @Test func expandedAutoNeedsATerminalAndTwoColumns() {
        var auto = settings(.aligned, expanded: .auto)
        let rows: [[String?]] = [["1", "a much wider value"]]
        let noTerminal = renderResult(auto, columns: columns, rows: rows)
        #expect(noTerminal == renderResult(settings(.aligned), columns: columns, rows: rows))
        auto.terminalWidth = 3
        let oneColumn = renderResult(auto, columns: [.init(name: "x", typeOID: TypeOID.text)], rows: [["wide value"]])
        #expect(renderedText(oneColumn) == "     x      \n------------\n wide value\n(1 row)\n\n")
    }

    @Test func windowStaysBounded() {
        let writer = OutputWriter(fileDescriptor: -1)
        let renderer = AlignedRenderer(settings: settings(.aligned), writer: writer, windowRows: 100)
        let wide = String(repeating: "w", count: 1000)
        renderer.begin(columns: columns)
        for i in 0..<5_000 {
            renderer.row(TextRowValues(["\(i)", wide]))
            #expect(renderer.window.rowCount < 100)
        }
        renderer.end(commandTag: "SELECT 5000", rowCount: 5_000)
        #expect(renderer.lastResultRowCount == 5_000)
        #expect(renderer.window.data.capacity <= 1 << 20)
    }

    @Test func csvSeparatorIsItsFirstByte() {
        var csv = settings(.csv)
        csv.csvFieldSeparator = "|"
        let output = renderResult(csv, columns: columns, rows: [["1", "a|b"], ["2", "plain"]])
        #expect(renderedText(output) == "id|name\n1|\"a|b\"\n2|plain\n")
    }
}
