import Foundation

/// What is known of a backup's soundness (from its manifest).
public enum VerificationState: String, Sendable, Codable {
    /// Read to the end and checksummed when it was made (or by `\backup verify`).
    case verified
    /// No manifest (e.g. a file adopted from an existing folder): nothing known either way.
    case unverified
    /// Its verification failed: it is not a backup to rely on.
    case failed
}

/// Grandfather-father-son retention, as borg and restic prune, with the archive's defaults:
/// every backup of the last 10 days, the newest of each of the last 13 ISO weeks (about three
/// months), and the newest of every month with no end unless `keepMonthly` limits it.
///
/// Windows are calendar periods counted back from "now" (today is day 1 of the daily window,
/// this ISO week week 1, this month month 1), so a file dated in the future cannot shift them.
/// Days are local calendar days: names carry the local wall clock, and `dayNumber` counts the
/// dates of that wall clock, never elapsed hours, so a 23- or 25-hour day of a change of
/// daylight saving time moves no file across a day, week or month boundary.
public struct RetentionPolicy: Sendable, Equatable {
    public var keepDaily: Int
    public var keepWeekly: Int
    /// nil: every month, without end.
    public var keepMonthly: Int?

    public init(keepDaily: Int = 10, keepWeekly: Int = 13, keepMonthly: Int? = nil) {
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
        self.keepMonthly = keepMonthly
    }

    /// One name in the folder and what is known about it.
    public struct Entry: Sendable, Equatable {
        public var fileName: String
        public var state: VerificationState
        public init(fileName: String, state: VerificationState = .unverified) {
            self.fileName = fileName
            self.state = state
        }
    }

    public enum Action: String, Sendable, Equatable {
        case keep
        case delete
        /// Not a name prune knows: never touched.
        case ignore
    }

    /// The verdict on one file, with the rule that keeps it or the reason it goes.
    public struct Decision: Sendable, Equatable {
        public var fileName: String
        public var name: BackupName?
        public var action: Action
        public var reason: String
    }

    /// The verdicts, newest first within each group, and why a group was left alone.
    public struct Plan: Sendable {
        public var decisions: [Decision]
        /// Group-level messages ("nothing deleted in fitsdata (custom): ...").
        public var notes: [String]
        public var deletions: [Decision] { decisions.filter { $0.action == .delete } }
        public func decision(for fileName: String) -> Decision? { decisions.first { $0.fileName == fileName } }
    }

    /// The plan for `entries` at the instant `now`, seen on the local wall clock of `timeZone`.
    public func plan(_ entries: [Entry], at now: Date, in timeZone: TimeZone = .current) -> Plan {
        plan(entries, now: BackupTimestamp(now, in: timeZone))
    }

    /// The plan for `entries` at `now`: a pure function of the list and the time.
    public func plan(_ entries: [Entry], now: BackupTimestamp) -> Plan {
        var decisions: [Decision] = []
        var notes: [String] = []
        var groups: [String: [(entry: Entry, name: BackupName)]] = [:]
        var groupOrder: [String] = []
        for entry in entries {
            guard let name = BackupName.parse(entry.fileName) else {
                decisions.append(Decision(fileName: entry.fileName, name: nil, action: .ignore,
                                          reason: "not a backup name: never touched"))
                continue
            }
            let key = "\(name.database) (\(name.format.rawValue))"
            if groups[key] == nil { groupOrder.append(key) }
            groups[key, default: []].append((entry, name))
        }
        for key in groupOrder.sorted() {
            let (groupDecisions, groupNotes) = planGroup(key, groups[key]!, now: now)
            decisions.append(contentsOf: groupDecisions)
            notes.append(contentsOf: groupNotes)
        }
        return Plan(decisions: decisions, notes: notes)
    }

    private func planGroup(_ key: String, _ members: [(entry: Entry, name: BackupName)], now: BackupTimestamp) -> ([Decision], [String]) {
        let sorted = members.sorted { $0.name.timestamp > $1.name.timestamp || ($0.name.timestamp == $1.name.timestamp && $0.entry.fileName < $1.entry.fileName) }
        var verdicts: [String: (Action, String)] = [:]
        var notes: [String] = []

        let future = sorted.filter { $0.name.timestamp > now }
        let past = sorted.filter { $0.name.timestamp <= now }
        for member in future {
            verdicts[member.entry.fileName] = (.keep, "dated in the future (after \(now.dateText) \(Self.clock(now))): kept, check the clock that named it")
        }
        if !future.isEmpty {
            notes.append("\(key): \(future.count) file\(future.count == 1 ? "" : "s") dated in the future, kept and left out of the windows")
        }

        // A usable backup: a finished one whose verification did not fail.
        func usable(_ member: (entry: Entry, name: BackupName)) -> Bool {
            member.name.kind == .backup && member.entry.state != .failed
        }
        let today = now.dayNumber
        let thisWeek = now.weekStartDay
        let thisMonth = now.monthIndex

        var blocked: String?
        if let newest = past.first {
            if newest.name.kind == .failed {
                blocked = "the newest backup \(newest.name.backupFileName) failed (\(newest.entry.fileName) says why)"
            } else if newest.entry.state == .failed {
                blocked = "the newest backup \(newest.entry.fileName) failed verification"
            } else if newest.name.kind == .partial {
                blocked = "the newest backup \(newest.entry.fileName) is incomplete (interrupted, or still being written)"
            }
        }
        if blocked == nil {
            if let newestGood = past.first(where: usable) {
                if now.microsecondsSinceEpoch - newestGood.name.timestamp.microsecondsSinceEpoch > 86_400_000_000 {
                    blocked = "no backup in the last day (the newest is \(newestGood.entry.fileName))"
                }
            } else if !past.isEmpty {
                blocked = "no usable backup at all"
            }
        }

        // The newest usable backup of each week and month.
        var newestOfWeek: [Int: String] = [:]
        var newestOfMonth: [Int: String] = [:]
        for member in past where usable(member) {
            let stamp = member.name.timestamp
            if newestOfWeek[stamp.weekStartDay] == nil { newestOfWeek[stamp.weekStartDay] = member.entry.fileName }
            if newestOfMonth[stamp.monthIndex] == nil { newestOfMonth[stamp.monthIndex] = member.entry.fileName }
        }
        let newestVerified = past.first { $0.name.kind == .backup && $0.entry.state == .verified }?.entry.fileName

        for member in past {
            let file = member.entry.fileName
            let stamp = member.name.timestamp
            let inDaily = stamp.dayNumber > today - keepDaily
            let inWeekly = stamp.weekStartDay > thisWeek - 7 * keepWeekly
            let inMonthly = keepMonthly.map { stamp.monthIndex > thisMonth - $0 } ?? true
            if member.name.kind != .backup || member.entry.state == .failed {
                let what = member.name.kind == .partial ? "an incomplete backup" : "a failed backup"
                if inDaily {
                    verdicts[file] = (.keep, "\(what), kept while within the last \(keepDaily) days")
                } else {
                    verdicts[file] = (.delete, "\(what), older than \(keepDaily) days")
                }
                continue
            }
            if file == newestVerified {
                verdicts[file] = (.keep, "the newest verified backup")
            } else if inDaily {
                verdicts[file] = (.keep, "daily: within the last \(keepDaily) days")
            } else if inWeekly && newestOfWeek[stamp.weekStartDay] == file {
                verdicts[file] = (.keep, "weekly: newest of ISO week \(stamp.isoWeekText)")
            } else if inMonthly && newestOfMonth[stamp.monthIndex] == file {
                verdicts[file] = (.keep, "monthly: newest of \(stamp.monthText)")
            } else if inWeekly {
                verdicts[file] = (.delete, "not the newest of ISO week \(stamp.isoWeekText) (\(newestOfWeek[stamp.weekStartDay] ?? "?") is)")
            } else if inMonthly {
                verdicts[file] = (.delete, "older than \(keepWeekly) weeks and not the newest of \(stamp.monthText) (\(newestOfMonth[stamp.monthIndex] ?? "?") is)")
            } else {
                verdicts[file] = (.delete, "older than the \(keepMonthly ?? 0) months kept")
            }
        }

        let deleting = past.filter { verdicts[$0.entry.fileName]?.0 == .delete }
        if blocked == nil, !deleting.isEmpty, deleting.count == members.count {
            blocked = "the policy would delete every backup"
        }
        if let blocked {
            if !deleting.isEmpty || future.count == members.count {
                notes.append("\(key): nothing deleted: \(blocked)")
            }
            for member in deleting {
                let previous = verdicts[member.entry.fileName]!.1
                verdicts[member.entry.fileName] = (.keep, "would go (\(previous)), but nothing is deleted: \(blocked)")
            }
        }

        let decisions = sorted.map { member in
            let verdict = verdicts[member.entry.fileName]!
            return Decision(fileName: member.entry.fileName, name: member.name, action: verdict.0, reason: verdict.1)
        }
        return (decisions, notes)
    }

    private static func clock(_ stamp: BackupTimestamp) -> String {
        String(stamp.description.dropFirst(11).prefix(8))
    }
}

extension BackupTimestamp {
    /// The local wall-clock time of `instant` in `timeZone` (Gregorian calendar): the clock
    /// backup names are written in, so retention counts local calendar days.
    public init(_ instant: Date, in timeZone: TimeZone = .current) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: instant)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!,
                  second: min(parts.second!, 59), microsecond: min(parts.nanosecond! / 1000, 999_999))
    }
}
