import Foundation

/// curate's retention rules applied to pgBackRest backup sets. Full backups are judged by the
/// same grandfather-father-son rules as dumps (`RetentionPolicy`), dated by the time each
/// backup stopped on the local clock; a differential or incremental backup goes with the full
/// backup it is built on, because it cannot be restored without it. curate computes the sets
/// to delete and has pgBackRest expire each one (`pgbackrest expire --set=LABEL`, which also
/// removes the sets that depend on it and the WAL only they needed).
public struct PgBackRestRetention {
    public struct Decision: Sendable, Equatable {
        public var label: String
        public var type: String
        public var action: RetentionPolicy.Action
        public var reason: String
    }

    public struct Plan: Sendable {
        /// Newest first.
        public var decisions: [Decision]
        public var notes: [String]
        /// The full backups to expire (their dependants go with them).
        public var expiredFulls: [String] { decisions.filter { $0.action == .delete && $0.type == "full" }.map(\.label) }
        public var deletions: [Decision] { decisions.filter { $0.action == .delete } }
    }

    public var policy: RetentionPolicy

    public init(policy: RetentionPolicy) {
        self.policy = policy
    }

    public func plan(_ backups: [PgBackRestStanzaInfo.Backup], stanza: String, now: Date, in timeZone: TimeZone = .current) -> Plan {
        // The rules read dump names: each full backup gets the name a dump of that moment would have.
        var labelOfName: [String: String] = [:]
        var entries: [RetentionPolicy.Entry] = []
        for backup in backups where backup.type == "full" {
            let name = BackupName(database: stanza, timestamp: BackupTimestamp(backup.stopped, in: timeZone), format: .custom)
            labelOfName[name.fileName] = backup.label
            entries.append(RetentionPolicy.Entry(fileName: name.fileName, state: .verified))
        }
        let dumpPlan = policy.plan(entries, now: BackupTimestamp(now, in: timeZone))
        var fullVerdicts: [String: (RetentionPolicy.Action, String)] = [:]
        for decision in dumpPlan.decisions {
            guard let label = labelOfName[decision.fileName] else { continue }
            // "the newest verified backup": every set pgBackRest lists was checksummed as it was copied.
            var reason = decision.reason == "the newest verified backup" ? "the newest full backup" : decision.reason
            for (name, other) in labelOfName { reason = reason.replacingOccurrences(of: name, with: other) }
            fullVerdicts[label] = (decision.action, reason)
        }
        var decisions: [Decision] = []
        for backup in backups.sorted(by: { $0.timestamp.stop > $1.timestamp.stop || ($0.timestamp.stop == $1.timestamp.stop && $0.label > $1.label) }) {
            if backup.type == "full" {
                let verdict = fullVerdicts[backup.label] ?? (.keep, "kept")
                decisions.append(Decision(label: backup.label, type: backup.type, action: verdict.0, reason: verdict.1))
            } else {
                let full = backup.fullLabel
                let verdict = fullVerdicts[full]
                if verdict?.0 == .delete {
                    decisions.append(Decision(label: backup.label, type: backup.type, action: .delete,
                                              reason: "\(backup.type) on full \(full), which goes"))
                } else {
                    decisions.append(Decision(label: backup.label, type: backup.type, action: .keep,
                                              reason: "\(backup.type) on full \(full), which is kept"))
                }
            }
        }
        let notes = dumpPlan.notes.map { note in
            // The group key names the synthetic dump name's database and format: say stanza instead.
            var text = note.replacingOccurrences(of: "\(stanza) (custom)", with: "stanza \(stanza)")
            for (name, label) in labelOfName { text = text.replacingOccurrences(of: name, with: label) }
            return text
        }
        return Plan(decisions: decisions, notes: notes)
    }
}
