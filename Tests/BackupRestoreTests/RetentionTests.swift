import CurateKit
import BackupPlugin
import Foundation
import Testing

@Suite("Backup names")
struct BackupNameTests {
    @Test("the archive's existing names are recognised")
    func archiveNames() throws {
        let name = try #require(BackupName.parse("fitsdata.2024-03-05T02:00:01.123456.pg_dump_c"))
        #expect(name.database == "fitsdata")
        #expect(name.format == .custom)
        #expect(name.kind == .backup)
        #expect(name.timestamp == BackupTimestamp(year: 2024, month: 3, day: 5, hour: 2, minute: 0, second: 1, microsecond: 123456))
        #expect(name.fileName == "fitsdata.2024-03-05T02:00:01.123456.pg_dump_c")
    }

    @Test("formats, dotted database names, no fraction, partial and failed forms")
    func otherForms() throws {
        let plain = try #require(BackupName.parse("fits.data.2024-03-05T02:00:01.pg_dump_p.gz"))
        #expect(plain.database == "fits.data")
        #expect(plain.format == .plain)
        #expect(plain.timestamp.second == 1 && plain.timestamp.microsecond == 0)
        #expect(plain.fileName == "fits.data.2024-03-05T02:00:01.pg_dump_p.gz")
        let directory = try #require(BackupName.parse("db.2025-12-31T23:59:59.5.pg_dump_d"))
        #expect(directory.format == .directory && directory.timestamp.microsecond == 500000)
        let partial = try #require(BackupName.parse(".db.2025-01-01T00:00:00.000000.pg_dump_c.partial"))
        #expect(partial.kind == .partial && partial.database == "db")
        let failed = try #require(BackupName.parse("db.2025-01-01T00:00:00.000000.pg_dump_c.failed"))
        #expect(failed.kind == .failed)
        #expect(failed.backupFileName == "db.2025-01-01T00:00:00.000000.pg_dump_c")
    }

    @Test("foreign names are not backups", arguments: [
        "notes.txt", "fitsdata.pg_dump_c", "fitsdata.2024-13-01T00:00:00.pg_dump_c", "fitsdata.2024-02-30T00:00:00.pg_dump_c",
        ".2024-03-05T02:00:01.pg_dump_c", "fitsdata.2024-03-05.pg_dump_c", "fitsdata.2024-03-05T02:00:01.123456.pg_dump_c.manifest",
        "fitsdata.2024-03-05T02:00:01.123456.pg_dump_c~", "fitsdata.2024-03-05T02:00:01.123456.pg_dump_p",
    ])
    func foreign(name: String) {
        #expect(BackupName.parse(name) == nil)
    }

    @Test("ISO weeks are keyed by ISO year")
    func isoWeeks() {
        #expect(BackupTimestamp(year: 2024, month: 12, day: 30).isoWeekText == "2025-W01")
        #expect(BackupTimestamp(year: 2021, month: 1, day: 3).isoWeekText == "2020-W53")
        #expect(BackupTimestamp(year: 2021, month: 1, day: 4).isoWeekText == "2021-W01")
        #expect(BackupTimestamp(year: 2026, month: 12, day: 31).isoWeekText == "2026-W53")
        #expect(BackupTimestamp(year: 2024, month: 3, day: 5).isoWeekday == 2)
        // Against Foundation's ISO calendar, every day of ten years.
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = BackupTimestamp(year: 2018, month: 1, day: 1).dayNumber
        for day in start..<(start + 3653) {
            let stamp = BackupTimestamp(dayNumber: day)
            #expect(BackupTimestamp(dayNumber: stamp.dayNumber) == stamp)
            let date = Date(timeIntervalSince1970: Double(day) * 86400)
            let components = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear, .year, .month, .day], from: date)
            #expect(stamp.isoWeek.year == components.yearForWeekOfYear && stamp.isoWeek.week == components.weekOfYear)
            #expect(stamp.year == components.year && stamp.month == components.month && stamp.day == components.day)
        }
    }
}

@Suite("Retention")
struct RetentionTests {
    /// Sunday 15 June 2025, noon.
    static let today = BackupTimestamp(year: 2025, month: 6, day: 15, hour: 12)

    /// Two years of names: one to three a day, gaps (every 17th day, 1-20 Aug 2024), two future
    /// files, foreign files, a second database and a plain-format series.
    static func generated(database: String = "fitsdata", format: BackupFormat = .custom, through last: BackupTimestamp = today) -> [String] {
        var names: [String] = []
        let first = BackupTimestamp(year: 2023, month: 6, day: 1).dayNumber
        let gap = BackupTimestamp(year: 2024, month: 8, day: 1).dayNumber...BackupTimestamp(year: 2024, month: 8, day: 20).dayNumber
        for day in first...last.dayNumber {
            if day % 17 == 0 || gap.contains(day) { continue }
            let date = BackupTimestamp(dayNumber: day)
            let count = day % 3 + 1
            for index in 0..<count {
                var stamp = date
                stamp.hour = [2, 14, 22][index]
                stamp.second = 1
                stamp.microsecond = (day * 7919 + index) % 1_000_000
                if stamp > last { continue }
                names.append(BackupName(database: database, timestamp: stamp, format: format).fileName)
            }
        }
        return names
    }

    static let future = ["fitsdata.2025-06-20T02:00:01.000001.pg_dump_c", "fitsdata.2031-01-01T02:00:01.pg_dump_c"]
    static let foreign = ["README", "fitsdata.2024-03-05T02:00:01.pg_dump_c.bak", "cron.log", "fitsdata.sql.gz", "fitsdata.2024-02-31T02:00:01.pg_dump_c"]

    static func entries(_ names: [String], state: VerificationState = .verified) -> [RetentionPolicy.Entry] {
        names.map { RetentionPolicy.Entry(fileName: $0, state: state) }
    }

    /// The expected keepers, computed independently with Foundation's ISO-8601 calendar.
    static func expectedKept(_ names: [String], now: BackupTimestamp, daily: Int, weekly: Int, monthly: Int?) -> Set<String> {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func date(_ s: BackupTimestamp) -> Date {
            calendar.date(from: DateComponents(year: s.year, month: s.month, day: s.day, hour: s.hour, minute: s.minute, second: s.second))!
        }
        let nowDate = date(now)
        let parsed = names.compactMap(BackupName.parse).filter { $0.timestamp <= now }.sorted { $0.timestamp > $1.timestamp }
        var kept = Set<String>()
        var weeksSeen = Set<String>()
        var monthsSeen = Set<String>()
        let nowWeek = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: nowDate)
        let nowMonday = calendar.date(from: nowWeek)!
        for name in parsed {
            let d = date(name.timestamp)
            let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: d), to: calendar.startOfDay(for: nowDate)).day!
            let week = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: d)
            let weekKey = "\(week.yearForWeekOfYear!)-\(week.weekOfYear!)"
            let weeksBack = calendar.dateComponents([.day], from: calendar.date(from: week)!, to: nowMonday).day! / 7
            let monthKey = "\(name.timestamp.year)-\(name.timestamp.month)"
            let monthsBack = (now.year - name.timestamp.year) * 12 + now.month - name.timestamp.month
            if days < daily { kept.insert(name.fileName) }
            if weeksBack < weekly, !weeksSeen.contains(weekKey) { kept.insert(name.fileName) }
            if monthly.map({ monthsBack < $0 }) ?? true, !monthsSeen.contains(monthKey) { kept.insert(name.fileName) }
            weeksSeen.insert(weekKey)
            monthsSeen.insert(monthKey)
        }
        if let newest = parsed.first { kept.insert(newest.fileName) }
        return kept
    }

    @Test("two years of names: the archive's defaults", arguments: [(10, 13, nil), (10, 13, 12), (7, 4, 6), (3, 8, nil)] as [(Int, Int, Int?)])
    func twoYears(daily: Int, weekly: Int, monthly: Int?) throws {
        let series = Self.generated()
        let other = Self.generated(database: "metadata", format: .plain)
        let names = series + other + Self.future + Self.foreign
        let policy = RetentionPolicy(keepDaily: daily, keepWeekly: weekly, keepMonthly: monthly)
        let plan = policy.plan(Self.entries(names.shuffled()), now: Self.today)
        #expect(plan.decisions.count == names.count)
        let expected = Self.expectedKept(series, now: Self.today, daily: daily, weekly: weekly, monthly: monthly)
            .union(Self.expectedKept(other, now: Self.today, daily: daily, weekly: weekly, monthly: monthly))
        for decision in plan.decisions {
            switch decision.action {
            case .ignore:
                #expect(Self.foreign.contains(decision.fileName))
            case .keep:
                if Self.future.contains(decision.fileName) {
                    #expect(decision.reason.contains("future"))
                } else {
                    #expect(expected.contains(decision.fileName), "\(decision.fileName) kept: \(decision.reason)")
                }
            case .delete:
                #expect(!expected.contains(decision.fileName), "\(decision.fileName) deleted: \(decision.reason)")
                #expect(!Self.future.contains(decision.fileName))
            }
            #expect(!decision.reason.isEmpty)
        }
        for file in Self.foreign { #expect(plan.decision(for: file)?.action == .ignore) }
        // Something is actually pruned, and the defaults keep one per month back to the start.
        #expect(plan.deletions.count > 500)
        if monthly == nil {
            let keptMonths = Set(plan.decisions.filter { $0.action == .keep && $0.name?.database == "fitsdata" && !Self.future.contains($0.fileName) }
                .map { $0.name!.timestamp.monthText })
            #expect(keptMonths.count == 25)
        }
        // Pure: the same list in another order gives the same verdicts.
        let again = policy.plan(Self.entries(names.reversed()), now: Self.today)
        #expect(Set(again.decisions.map { "\($0.fileName) \($0.action)" }) == Set(plan.decisions.map { "\($0.fileName) \($0.action)" }))
    }

    @Test("every backup of the last ten days is kept; one per ISO week for 13 weeks")
    func windows() {
        let names = Self.generated()
        let plan = RetentionPolicy().plan(Self.entries(names), now: Self.today)
        let cutoff = Self.today.dayNumber - 9
        for decision in plan.decisions where decision.name!.timestamp.dayNumber >= cutoff {
            #expect(decision.action == .keep)
        }
        var perWeek: [String: Int] = [:]
        for decision in plan.decisions where decision.action == .keep && decision.reason.hasPrefix("weekly") {
            let stamp = decision.name!.timestamp
            if stamp.dayNumber < cutoff, stamp.weekStartDay > Self.today.weekStartDay - 7 * 13 {
                perWeek[stamp.isoWeekText, default: 0] += 1
            }
        }
        #expect(perWeek.values.allSatisfy { $0 == 1 })
        #expect(perWeek.count >= 11)
        #expect(plan.decisions.contains { $0.reason.hasPrefix("weekly: newest of ISO week") })
        #expect(plan.decisions.contains { $0.reason.hasPrefix("monthly: newest of 2023-06") })
        #expect(plan.decisions.contains { $0.action == .delete && $0.reason.contains("not the newest of ISO week") })
    }

    @Test("a week across New Year is one ISO week")
    func newYearWeek() {
        // Mon 30 Dec 2024 .. Sun 5 Jan 2025 is 2025-W01; only its newest (5 Jan) is kept weekly.
        let names = [
            "db.2024-12-30T02:00:00.pg_dump_c", "db.2024-12-31T02:00:00.pg_dump_c",
            "db.2025-01-02T02:00:00.pg_dump_c", "db.2025-01-05T02:00:00.pg_dump_c",
            "db.2025-02-20T02:00:00.pg_dump_c",
        ]
        let now = BackupTimestamp(year: 2025, month: 2, day: 20, hour: 3)
        let plan = RetentionPolicy(keepDaily: 1, keepWeekly: 13, keepMonthly: 0).plan(Self.entries(names), now: now)
        #expect(plan.decision(for: "db.2025-01-05T02:00:00.pg_dump_c")?.reason == "weekly: newest of ISO week 2025-W01")
        #expect(plan.decision(for: "db.2024-12-30T02:00:00.pg_dump_c")?.action == .delete)
        #expect(plan.decision(for: "db.2024-12-31T02:00:00.pg_dump_c")?.action == .delete)
        #expect(plan.decision(for: "db.2025-01-02T02:00:00.pg_dump_c")?.action == .delete)
        // With months kept, the newest of December 2024 stays as the monthly one.
        let monthly = RetentionPolicy(keepDaily: 1, keepWeekly: 13).plan(Self.entries(names), now: now)
        #expect(monthly.decision(for: "db.2024-12-31T02:00:00.pg_dump_c")?.reason == "monthly: newest of 2024-12")
    }

    @Test("future files are kept and reported, and do not stop the rest")
    func futureFiles() {
        let names = Self.generated() + Self.future
        let plan = RetentionPolicy().plan(Self.entries(names), now: Self.today)
        for file in Self.future {
            #expect(plan.decision(for: file)?.action == .keep)
            #expect(plan.decision(for: file)?.reason.contains("future") == true)
        }
        #expect(plan.notes.contains { $0.contains("dated in the future") })
        #expect(plan.deletions.count > 500)
    }

    @Test("nothing is deleted when the newest backup failed verification")
    func newestFailed() {
        var entries = Self.entries(Self.generated())
        entries.append(.init(fileName: "fitsdata.2025-06-15T11:00:00.000000.pg_dump_c", state: .failed))
        let plan = RetentionPolicy().plan(entries, now: Self.today)
        #expect(plan.deletions.isEmpty)
        #expect(plan.notes.contains { $0.contains("failed verification") })
        #expect(plan.decisions.contains { $0.reason.contains("would go") })
    }

    @Test("nothing is deleted after a failed or interrupted backup")
    func newestFailedMarkerOrPartial() {
        for marker in ["fitsdata.2025-06-15T11:00:00.000000.pg_dump_c.failed", ".fitsdata.2025-06-15T11:00:00.000000.pg_dump_c.partial"] {
            let plan = RetentionPolicy().plan(Self.entries(Self.generated() + [marker]), now: Self.today)
            #expect(plan.deletions.isEmpty, "\(marker)")
            #expect(plan.decision(for: marker)?.action == .keep)
        }
        // A failed backup is called failed, not "failed verification": it never got that far.
        let failed = RetentionPolicy().plan(Self.entries(Self.generated() + ["fitsdata.2025-06-15T11:00:00.000000.pg_dump_c.failed"]), now: Self.today)
        #expect(failed.notes.contains { $0.contains("the newest backup fitsdata.2025-06-15T11:00:00.000000.pg_dump_c failed (fitsdata.2025-06-15T11:00:00.000000.pg_dump_c.failed says why)") }, "\(failed.notes)")
    }

    @Test("nothing is deleted when the last day has no backup")
    func lastDayMissing() {
        let last = BackupTimestamp(year: 2025, month: 6, day: 12, hour: 23)
        let plan = RetentionPolicy().plan(Self.entries(Self.generated(through: last)), now: Self.today)
        #expect(plan.deletions.isEmpty)
        #expect(plan.notes.contains { $0.contains("no backup in the last day") })
    }

    @Test("a policy that would delete everything is refused")
    func deleteEverything() {
        let names = Self.generated()
        let plan = RetentionPolicy(keepDaily: 0, keepWeekly: 0, keepMonthly: 0).plan(Self.entries(names, state: .unverified), now: Self.today)
        #expect(plan.deletions.isEmpty)
        #expect(plan.notes.contains { $0.contains("every backup") })
    }

    @Test("the newest verified backup is never deleted")
    func newestVerified() {
        var entries = Self.entries(Self.generated(), state: .unverified)
        let verified = "fitsdata.2024-11-13T14:00:01.000000.pg_dump_c"
        entries.append(.init(fileName: verified, state: .verified))
        let plan = RetentionPolicy(keepDaily: 2, keepWeekly: 1, keepMonthly: 1).plan(entries, now: Self.today)
        #expect(plan.decision(for: verified)?.action == .keep)
        #expect(plan.decision(for: verified)?.reason == "the newest verified backup")
        #expect(plan.deletions.count > 1000)
    }

    @Test("groups are separate: one database's failure does not stop another's prune")
    func groups() {
        var entries = Self.entries(Self.generated())
        entries += Self.entries(Self.generated(database: "metadata"))
        entries.append(.init(fileName: "metadata.2025-06-15T11:00:00.000000.pg_dump_c.failed", state: .failed))
        let plan = RetentionPolicy().plan(entries, now: Self.today)
        #expect(plan.deletions.allSatisfy { $0.name?.database == "fitsdata" })
        #expect(!plan.deletions.isEmpty)
    }

    @Test("old failed attempts and partials go once older than the daily window")
    func oldFailures() {
        let names = Self.generated() + ["fitsdata.2025-01-01T02:00:00.pg_dump_c.failed", ".fitsdata.2025-01-02T02:00:00.pg_dump_c.partial"]
        let plan = RetentionPolicy().plan(Self.entries(names), now: Self.today)
        #expect(plan.decision(for: "fitsdata.2025-01-01T02:00:00.pg_dump_c.failed")?.action == .delete)
        #expect(plan.decision(for: ".fitsdata.2025-01-02T02:00:00.pg_dump_c.partial")?.action == .delete)
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("NIST and common vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ("The quick brown fox jumps over the lazy dog", "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
    ])
    func vectors(input: String, digest: String) {
        #expect(FileDigest.sha256(Array(input.utf8)) == digest)
    }

    @Test("a file of a million a's, larger than one read block, hashed as it is read")
    func million() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: UInt8(ascii: "a"), count: 1_000_000).write(to: URL(fileURLWithPath: path))
        #expect(try FileDigest.sha256(file: path) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        let twoBlocks = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: twoBlocks) }
        let bytes = Data((0..<(3 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try bytes.write(to: URL(fileURLWithPath: twoBlocks))
        #expect(try FileDigest.sha256(file: twoBlocks) == FileDigest.sha256(bytes))
    }

    @Test("a cancelled read stops with CommandCancelled")
    func cancelled() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: CommandCancelled.self) { try FileDigest.sha256(file: path, cancelled: { true }) }
    }
}
