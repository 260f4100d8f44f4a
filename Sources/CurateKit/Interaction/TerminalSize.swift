import CCurateSupport

/// The size of the terminal on a file descriptor, read each time (the window can be resized).
package struct TerminalSize: Sendable, Equatable {
    /// Lines on the screen.
    package var rows: Int
    /// Characters per line.
    package var columns: Int

    /// nil when `descriptor` is not a terminal.
    package static func of(_ descriptor: Int32) -> TerminalSize? {
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard curate_terminal_size(descriptor, &rows, &columns) == 0 else { return nil }
        return TerminalSize(rows: Int(rows), columns: Int(columns))
    }
}
