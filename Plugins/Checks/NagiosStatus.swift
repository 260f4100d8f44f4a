/// `\check --format nagios`: one status line with performance data, and the exit status
/// Nagios plugins use (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
public struct NagiosStatus: Sendable, Equatable {
    public var exitStatus: Int32
    public var line: String

    /// CRITICAL: findings of severity error; UNKNOWN: a check could not run, or none ran (all
    /// skipped); WARNING: findings of severity warning; otherwise OK (findings of severity info
    /// are only counted).
    public init(outcomes: [CheckOutcome]) {
        let errors = outcomes.filter { $0.status == .findings && $0.check.severity == .error }
        let warnings = outcomes.filter { $0.status == .findings && $0.check.severity == .warning }
        let failed = outcomes.filter { $0.status == .failed }
        let ran = outcomes.filter { $0.status == .passed || $0.status == .findings }
        func list(_ outcomes: [CheckOutcome]) -> String {
            outcomes.map { "\($0.check.name) \($0.count)" }.joined(separator: ", ")
        }
        var parts: [String] = []
        if !errors.isEmpty { parts.append("errors: " + list(errors)) }
        if !failed.isEmpty { parts.append("could not run: " + failed.map(\.check.name).joined(separator: ", ")) }
        if !warnings.isEmpty { parts.append("warnings: " + list(warnings)) }
        let word: String
        if !errors.isEmpty {
            (exitStatus, word) = (2, "CRITICAL")
        } else if !failed.isEmpty {
            (exitStatus, word) = (3, "UNKNOWN")
        } else if ran.isEmpty {
            // Nothing was looked at (every check skipped): not a clean bill of health.
            (exitStatus, word) = (3, "UNKNOWN")
            parts.append("no check ran (\(outcomes.count) skipped)")
        } else if !warnings.isEmpty {
            (exitStatus, word) = (1, "WARNING")
        } else {
            (exitStatus, word) = (0, "OK")
            parts.append("\(ran.count) check\(ran.count == 1 ? "" : "s") ran, \(outcomes.filter { $0.status == .findings }.count) with findings of severity info")
        }
        let perfdata = ran.map { "\(Self.label($0.check.name))=\($0.count);;;0" }.joined(separator: " ")
        line = "CURATE CHECK \(word) - " + parts.joined(separator: "; ") + (perfdata.isEmpty ? "" : " | " + perfdata)
    }

    /// A performance data label: quoted when it holds anything but letters, digits, - and _.
    static func label(_ name: String) -> String {
        if name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) { return name }
        return "'" + name.replacingOccurrencesOf("'", with: "''").replacingOccurrencesOf("=", with: "_") + "'"
    }
}
