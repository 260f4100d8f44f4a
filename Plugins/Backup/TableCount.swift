/// Tables done, counted from the `--verbose` lines of pg_dump or pg_restore (for their progress
/// lines). A parallel run reports each table it has finished ("finished item 3382 TABLE DATA
/// diskfile"); a single one only the table it starts on ("dumping contents of table",
/// "processing data for table"), so the table before it is then done.
public struct TableCount: Sendable {
    private var started = 0
    private var finished = 0
    private var reportsFinished = false

    public init() {}

    public var done: Int { reportsFinished ? finished : max(started - 1, 0) }

    /// Takes one line; false when it says nothing about tables.
    public mutating func take(_ line: String) -> Bool {
        if line.contains("dumping contents of table") || line.contains("processing data for table") {
            started += 1
        } else if line.contains("finished item"), line.contains("TABLE DATA") {
            finished += 1
            reportsFinished = true
        } else {
            return false
        }
        return true
    }
}
