/// What the last `\check --on standby` run of each check found, kept in the shell's memory (the
/// check plugin's `CheckCatalogStore`, shared with the fix plugin) for `\fix NAME --from-standby`,
/// which re-checks exactly these rows on the primary before it writes.
public final class StandbyFindings {
    /// One check's findings on the standby.
    public struct Entry: Sendable {
        public var check: String
        /// The database the check ran in (a fix in another one must not take these keys).
        public var database: String
        public var columns: [FindingColumn]
        /// The rows kept (all of them unless `\check --limit` cut them short).
        public var rows: [[String?]]
        /// How many rows the check found.
        public var count: Int
        /// The replay lag the findings are based on, in words (`ReplayLag.summary`).
        public var lag: String

        public init(check: String, database: String, columns: [FindingColumn], rows: [[String?]], count: Int, lag: String) {
            self.check = check
            self.database = database
            self.columns = columns
            self.rows = rows
            self.count = count
            self.lag = lag
        }

        /// The values of finding column `name` (NULLs left out, each once, in finding order).
        public func values(of name: String) -> [String]? {
            guard let index = columns.firstIndex(where: { $0.name == name }) else { return nil }
            var seen = Set<String>()
            return rows.compactMap { $0[index] }.filter { seen.insert($0).inserted }
        }
    }

    private var entries: [String: Entry] = [:]

    public init() {}

    /// Keeps the findings of the checks that ran (a later standby run of a check replaces them);
    /// a check that could not run forgets its earlier ones.
    public func remember(_ outcomes: [CheckOutcome], database: String, lag: String) {
        for outcome in outcomes {
            switch outcome.status {
            case .passed, .findings:
                entries[outcome.check.name] = Entry(check: outcome.check.name, database: database, columns: outcome.columns, rows: outcome.rows,
                                                    count: outcome.count, lag: lag)
            case .failed, .skipped:
                entries[outcome.check.name] = nil
            }
        }
    }

    /// The last standby run's findings of `check`, or nil when it has not run on a standby in this session.
    public func entry(for check: String) -> Entry? { entries[check] }
}
