/// A renderer made only when a result with rows arrives: most statements of a script (INSERT,
/// CREATE, SET) print one status line, and making and freeing a format's renderer for each of
/// them cost more than the line itself.
final class DeferredRenderer: ResultRenderer {
    // The command's context, not a copy of its settings: copying them was part of the cost.
    private let context: CommandContext
    // `@exclusivity(unchecked)` here and below: read and written for every statement, on the
    // shell's one thread; the runtime's check of each access cost more than the access (decisions.md).
    @exclusivity(unchecked) private var made: (any ResultRenderer)?

    init(context: CommandContext) {
        self.context = context
    }

    private var renderer: any ResultRenderer {
        if let made { return made }
        let renderer = makeRenderer(settings: context.settings, writer: context.console.output)
        made = renderer
        return renderer
    }

    func begin(columns: [ColumnDescription]) { renderer.begin(columns: columns) }
    func row(_ values: some RowValues) { renderer.row(values) }
    func end(commandTag: String, rowCount: Int) { renderer.end(commandTag: commandTag, rowCount: rowCount) }

    func command(tag: String) {
        // json and html write a status their own way; every other format writes the tag on its line.
        let format = context.settings.format
        if made != nil || format == .json || format == .html {
            renderer.command(tag: tag)
            return
        }
        guard !context.settings.quiet else { return }
        let writer = context.console.output
        writer.write(tag)
        writer.write(RenderByte.newline)
    }
}
