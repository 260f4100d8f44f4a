/// One input being read (the terminal, a script, an `\i` file) with its own query buffer.
final class InputFrame {
    let source: any InputSource
    // `@exclusivity(unchecked)` here and below: read and written for every statement, on the
    // shell's one thread; the runtime's check of each access cost more than the access (decisions.md).
    @exclusivity(unchecked) var splitter = StatementSplitter()
    /// The `\if` blocks open in this input (each input has its own, as in psql).
    @exclusivity(unchecked) var conditionals = ConditionalStack()
    /// True for the person at the line editor: prompts, history, per-statement savepoints.
    let isInteractive: Bool

    init(source: any InputSource, isInteractive: Bool) {
        self.source = source
        self.isInteractive = isInteractive
    }
}
