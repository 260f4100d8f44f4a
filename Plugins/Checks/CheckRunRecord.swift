import CurateKit

/// What one `\check` run leaves in the run history (`CheckHistoryStore`): one record per run,
/// one result per check it ran.
public struct CheckRunRecord: Sendable {
    /// One check's result, as recorded.
    public struct Result: Sendable {
        public var check: String
        public var pack: String
        /// The pack file's `-- version:`; `built-in` for the packs that come with curate.
        public var packVersion: String
        public var severity: String
        /// passed, findings, skipped or failed (`CheckOutcome.Status`).
        public var status: String
        /// Nil when the check did not run (skipped, failed).
        public var findingCount: Int?
        public var durationMS: Double
        /// Why it was skipped or failed.
        public var reason: String?
        /// The first column of the first `keyLimit` findings: what `--diff` compares.
        public var keys: [String]
        /// True when there were more findings than keys kept.
        public var keysTruncated: Bool
    }

    public var curateVersion: String
    public var osUser: String?
    /// failed when any check failed, findings when any found rows, else passed.
    public var status: String
    public var durationMS: Double
    public var results: [Result]

    /// How many finding keys a result keeps by default (`CURATE_CHECK_HISTORY_KEYS`).
    public static let defaultKeyLimit = 1000

    /// The record of `outcomes`; `packVersion` names each pack's version.
    public init(outcomes: [CheckOutcome], curateVersion: String, osUser: String?, durationMS: Double,
                keyLimit: Int, packVersion: (String) -> String) {
        self.curateVersion = curateVersion
        self.osUser = osUser
        self.durationMS = durationMS
        self.results = outcomes.map { outcome in
            let ran = outcome.status == .passed || outcome.status == .findings
            let keys = outcome.rows.prefix(keyLimit).map { $0.first.flatMap { $0 } ?? "NULL" }
            return Result(check: outcome.check.name, pack: outcome.check.pack, packVersion: packVersion(outcome.check.pack),
                          severity: outcome.check.severity.rawValue, status: outcome.status.rawValue,
                          findingCount: ran ? outcome.count : nil, durationMS: outcome.elapsedMS, reason: outcome.reason,
                          keys: ran ? Array(keys) : [], keysTruncated: ran && outcome.count > keys.count)
        }
        self.status = Self.overallStatus(results.map(\.status))
    }

    /// A run that stopped before its checks gave outcomes: every check is recorded as failed,
    /// with the error that stopped it.
    public init(failed checks: [CheckDefinition], reason: String, curateVersion: String, osUser: String?, durationMS: Double,
                packVersion: (String) -> String) {
        self.curateVersion = curateVersion
        self.osUser = osUser
        self.durationMS = durationMS
        self.results = checks.map { check in
            Result(check: check.name, pack: check.pack, packVersion: packVersion(check.pack), severity: check.severity.rawValue,
                   status: CheckOutcome.Status.failed.rawValue, findingCount: nil, durationMS: 0, reason: reason,
                   keys: [], keysTruncated: false)
        }
        self.status = CheckOutcome.Status.failed.rawValue
    }

    static func overallStatus(_ statuses: [String]) -> String {
        if statuses.contains(CheckOutcome.Status.failed.rawValue) { return CheckOutcome.Status.failed.rawValue }
        if statuses.contains(CheckOutcome.Status.findings.rawValue) { return CheckOutcome.Status.findings.rawValue }
        return CheckOutcome.Status.passed.rawValue
    }

    /// The results as one JSON array, the parameter the recording statement reads them from.
    public var resultsJSON: String {
        let quoted = JSONString.quoted
        return "[" + results.map { r in
            "{" + [
                "\"check_name\": " + quoted(r.check),
                "\"pack\": " + quoted(r.pack),
                "\"pack_version\": " + quoted(r.packVersion),
                "\"severity\": " + quoted(r.severity),
                "\"status\": " + quoted(r.status),
                "\"finding_count\": " + (r.findingCount.map(String.init) ?? "null"),
                "\"duration_ms\": " + CheckReport.milliseconds(r.durationMS),
                "\"reason\": " + (r.reason.map(quoted) ?? "null"),
                "\"finding_keys\": [" + r.keys.map(quoted).joined(separator: ",") + "]",
                "\"keys_truncated\": \(r.keysTruncated)",
            ].joined(separator: ", ") + "}"
        }.joined(separator: ",\n") + "]"
    }
}
