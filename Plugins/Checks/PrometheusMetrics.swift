/// `\check --format prometheus`: the OpenMetrics text format (which node_exporter's textfile
/// collector and Prometheus's text parser read too), gauges only.
public enum PrometheusMetrics {
    /// The last backup of the database, from its manifest in the backup folder.
    public struct Backup: Sendable {
        public var database: String
        public var ageSeconds: Double
        public var verified: Bool

        public init(database: String, ageSeconds: Double, verified: Bool) {
            self.database = database
            self.ageSeconds = ageSeconds
            self.verified = verified
        }
    }

    /// `curate_check_status`'s values.
    public static func statusValue(_ status: CheckOutcome.Status) -> Int {
        switch status {
        case .passed: return 0
        case .findings: return 1
        case .failed: return 2
        case .skipped: return 3
        }
    }

    /// The metrics text, ending with `# EOF`.
    public static func text(outcomes: [CheckOutcome], database: String, backup: Backup?) -> String {
        var lines: [String] = []
        func family(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: String)]) {
            guard !samples.isEmpty else { return }
            lines.append("# TYPE \(name) gauge")
            lines.append("# HELP \(name) \(escapeHelp(help))")
            for sample in samples {
                let labels = sample.labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",")
                lines.append("\(name){\(labels)} \(sample.value)")
            }
        }
        func labels(_ outcome: CheckOutcome) -> [(String, String)] {
            [("check", outcome.check.name), ("pack", outcome.check.pack), ("severity", outcome.check.severity.rawValue), ("database", database)]
        }
        let ran = outcomes.filter { $0.status == .passed || $0.status == .findings }
        family("curate_check_findings", "Rows the check found in its last run (checks that ran).",
               ran.map { (labels($0), String($0.count)) })
        family("curate_check_status", "Outcome of the check's last run: 0 passed, 1 findings, 2 failed to run, 3 skipped.",
               outcomes.map { (labels($0), String(statusValue($0.status))) })
        family("curate_check_duration_seconds", "Seconds the check's last run took.",
               outcomes.map { (labels($0), seconds($0.elapsedMS)) })
        if let backup {
            family("curate_last_backup_age_seconds", "Seconds since the database's last backup was made.",
                   [([("database", backup.database)], String(Int(backup.ageSeconds.rounded())))])
            family("curate_backup_verified", "1 when the database's last backup was verified, else 0.",
                   [([("database", backup.database)], backup.verified ? "1" : "0")])
        }
        lines.append("# EOF")
        return lines.joined(separator: "\n") + "\n"
    }

    static func seconds(_ milliseconds: Double) -> String {
        let micros = Int((milliseconds * 1000).rounded())
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// Label values: backslash, double quote and line feed escaped.
    static func escapeLabel(_ value: String) -> String {
        value.replacingOccurrencesOf("\\", with: "\\\\").replacingOccurrencesOf("\"", with: "\\\"").replacingOccurrencesOf("\n", with: "\\n")
    }

    static func escapeHelp(_ value: String) -> String {
        value.replacingOccurrencesOf("\\", with: "\\\\").replacingOccurrencesOf("\n", with: "\\n")
    }
}
