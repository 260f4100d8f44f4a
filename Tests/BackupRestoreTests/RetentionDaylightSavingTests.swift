import BackupPlugin
import Foundation
import Testing

/// Backups named at 00:30 and 23:30 local time on the Saturday before, the Sunday of and the
/// Monday after each change of daylight saving time of 2025, in two time zones. "Now" and the
/// time zone are given, so the run does not depend on the machine's clock or zone. The "now"
/// instants sit 15 minutes either side of midnight ten days later, where counting elapsed hours
/// instead of calendar days would put the Sunday's files in the wrong class after a 23- or
/// 25-hour day.
@Suite("Retention across daylight saving time changes")
struct RetentionDaylightSavingTests {
    struct Change: Sendable, CustomStringConvertible {
        var zone: String
        var year: Int
        var month: Int
        /// The Sunday of the change.
        var day: Int
        var description: String { "\(zone) \(year)-\(month)-\(day)" }
    }

    static let changes = [
        Change(zone: "Europe/Berlin", year: 2025, month: 3, day: 30),
        Change(zone: "Europe/Berlin", year: 2025, month: 10, day: 26),
        Change(zone: "America/New_York", year: 2025, month: 3, day: 9),
        Change(zone: "America/New_York", year: 2025, month: 11, day: 2),
    ]

    /// The instant of `hour:minute` local time, `days` after the change's Sunday.
    static func instant(_ change: Change, days: Int, _ hour: Int, _ minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: change.zone)!
        let sunday = calendar.date(from: DateComponents(year: change.year, month: change.month, day: change.day, hour: 12))!
        let day = calendar.date(byAdding: .day, value: days, to: sunday)!
        return calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day)!
    }

    /// Six backups around the change, keyed by (day offset, hour), and one an hour before `now`.
    static func names(_ change: Change, now: Date) -> (around: [String: String], all: [String]) {
        let zone = TimeZone(identifier: change.zone)!
        var around: [String: String] = [:]
        for days in -1...1 {
            for (hour, minute) in [(0, 30), (23, 30)] {
                let stamp = BackupTimestamp(instant(change, days: days, hour, minute), in: zone)
                #expect(stamp.hour == hour && stamp.minute == minute)
                around["\(days) \(hour)"] = BackupName(database: "fitsdata", timestamp: stamp, format: .custom).fileName
            }
        }
        let recent = BackupName(database: "fitsdata", timestamp: BackupTimestamp(now.addingTimeInterval(-3600), in: zone), format: .custom).fileName
        return (around, Array(around.values) + [recent])
    }

    @Test("the zone really changes its offset on that Sunday", arguments: changes)
    func zoneChanges(change: Change) {
        let zone = TimeZone(identifier: change.zone)!
        let before = Self.instant(change, days: -1, 12, 0)
        let after = Self.instant(change, days: 1, 12, 0)
        #expect(zone.isDaylightSavingTime(for: before) != zone.isDaylightSavingTime(for: after))
        // The Sunday has 23 or 25 hours.
        let hours = Self.instant(change, days: 1, 0, 0).timeIntervalSince(Self.instant(change, days: 0, 0, 0)) / 3600
        #expect(hours == 23 || hours == 25)
    }

    @Test("at 23:45 nine days later the change's Sunday is still day 10 of the daily window", arguments: changes)
    func lastDailyDay(change: Change) throws {
        let now = Self.instant(change, days: 9, 23, 45)
        let (around, all) = Self.names(change, now: now)
        let plan = RetentionPolicy().plan(all.map { RetentionPolicy.Entry(fileName: $0, state: .verified) },
                                          at: now, in: TimeZone(identifier: change.zone)!)
        for key in ["0 0", "0 23", "1 0", "1 23"] {
            let decision = try #require(plan.decision(for: around[key]!))
            #expect(decision.action == .keep && decision.reason == "daily: within the last 10 days", "\(key): \(decision.reason)")
        }
        // The Saturday before is day 11: out of the daily window, and the Sunday is the newest of their ISO week.
        for key in ["-1 0", "-1 23"] {
            let decision = try #require(plan.decision(for: around[key]!))
            #expect(decision.action == .delete && decision.reason.hasPrefix("not the newest of ISO week"), "\(key): \(decision.reason)")
        }
        #expect(plan.notes.isEmpty)
    }

    @Test("at 00:15 ten days later the change's Sunday has left the daily window; its last backup is kept weekly", arguments: changes)
    func firstDayOut(change: Change) throws {
        let now = Self.instant(change, days: 10, 0, 15)
        let (around, all) = Self.names(change, now: now)
        let plan = RetentionPolicy().plan(all.map { RetentionPolicy.Entry(fileName: $0, state: .verified) },
                                          at: now, in: TimeZone(identifier: change.zone)!)
        for key in ["1 0", "1 23"] {
            let decision = try #require(plan.decision(for: around[key]!))
            #expect(decision.action == .keep && decision.reason == "daily: within the last 10 days", "\(key): \(decision.reason)")
        }
        let sundayLast = try #require(plan.decision(for: around["0 23"]!))
        #expect(sundayLast.action == .keep && sundayLast.reason.hasPrefix("weekly: newest of ISO week"), "\(sundayLast.reason)")
        for key in ["0 0", "-1 0", "-1 23"] {
            let decision = try #require(plan.decision(for: around[key]!))
            #expect(decision.action == .delete && decision.reason.hasPrefix("not the newest of ISO week"), "\(key): \(decision.reason)")
        }
        #expect(plan.notes.isEmpty)
    }
}
