/// One input being read (the terminal, a script, an `\i` file) with its own query buffer.
final class InputFrame {
    let source: any InputSource
    var splitter = StatementSplitter()
    /// The `\if` blocks open in this input (each input has its own, as in psql).
    var conditionals = ConditionalStack()
    /// True for the person at the line editor: prompts, history, per-statement savepoints.
    let isInteractive: Bool

    init(source: any InputSource, isInteractive: Bool) {
        self.source = source
        self.isInteractive = isInteractive
    }
}
