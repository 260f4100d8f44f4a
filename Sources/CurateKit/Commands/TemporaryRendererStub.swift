final class StubRenderer: ResultRenderer {
    let writer: OutputWriter
    init(writer: OutputWriter) { self.writer = writer }
    func begin(columns: [ColumnDescription]) { writer.write(columns.map(\.name).joined(separator: "|") + "\n") }
    func row(_ values: some RowValues) {
        for i in 0..<values.count {
            if i > 0 { writer.write(UInt8(ascii: "|")) }
            values.withValue(i) { writer.write($0) }
        }
        writer.write(UInt8(ascii: "\n"))
    }
    func end(commandTag: String, rowCount: Int) { writer.write("(\(rowCount) rows)\n") }
    func command(tag: String) { writer.write(tag + "\n") }
}
func makeRenderer(settings: OutputSettings, writer: OutputWriter) -> any ResultRenderer { StubRenderer(writer: writer) }
