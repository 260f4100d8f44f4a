import BackupPlugin
import Foundation
import Testing

/// Reading what pgBackRest 2.45 printed here (texts recorded from real runs), and curate's
/// retention rules over backup sets.
@Suite("pgBackRest reports and retention")
struct PgBackRestReportTests {
    static let valid = """
        stanza: main
        status: ok
          archiveId: 15-1, total WAL checked: 8, total valid WAL: 8
            missing: 0, checksum invalid: 0, size invalid: 0, other: 0
          backup: 20261206-183142F, status: valid, total files checked: 964, total valid files: 964
            missing: 0, checksum invalid: 0, size invalid: 0, other: 0
          backup: 20261206-183142F_20261206-183145I, status: valid, total files checked: 964, total valid files: 964
            missing: 0, checksum invalid: 0, size invalid: 0, other: 0
        """

    static let invalid = """
        stanza: main
        status: error
          backup: 20261206-183142F, status: invalid, total files checked: 964, total valid files: 963
            checksum invalid: 1
          backup: 20261206-183142F_20261206-183145I, status: valid, total files checked: 964, total valid files: 964
            missing: 0, checksum invalid: 0, size invalid: 0, other: 0
        """

    @Test("verify's summary: every set valid is OK; one invalid set fails it, with its counts")
    func verifyReport() throws {
        let good = try #require(PgBackRestVerifyReport.parse(Self.valid, stanza: "main"))
        #expect(good.ok)
        #expect(good.sets.map(\.label) == ["20261206-183142F", "20261206-183142F_20261206-183145I"])
        #expect(good.sets[0].filesChecked == 964 && good.sets[0].filesValid == 964)
        #expect(good.archive == ["archiveId: 15-1, total WAL checked: 8, total valid WAL: 8"])

        let bad = try #require(PgBackRestVerifyReport.parse(Self.invalid, stanza: "main"))
        #expect(!bad.ok)
        #expect(bad.sets[0].status == "invalid" && bad.sets[0].problems == "checksum invalid: 1")
    }

    @Test("a report without the stanza's status line is not taken for a good one")
    func failsClosed() {
        #expect(PgBackRestVerifyReport.parse("", stanza: "main") == nil)
        #expect(PgBackRestVerifyReport.parse(Self.valid, stanza: "other") == nil)
    }

    static func backup(_ label: String, _ type: String, stop: Date) throws -> PgBackRestStanzaInfo.Backup {
        let json = """
            {"label": "\(label)", "type": "\(type)", "timestamp": {"start": \(Int(stop.timeIntervalSince1970) - 60), "stop": \(Int(stop.timeIntervalSince1970))},
             "info": {"size": 1000, "delta": 10}, "prior": null, "reference": null, "error": false}
            """
        return try JSONDecoder().decode(PgBackRestStanzaInfo.Backup.self, from: Data(json.utf8))
    }

    @Test("retention: full sets by curate's rules, each diff/incr with its full, a reason for every set")
    func retention() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let now = try #require(ISO8601DateFormatter().date(from: "2026-12-06T12:00:00Z"))
        let day: TimeInterval = 86_400
        let backups = [
            try Self.backup("20261001-020000F", "full", stop: now - 66 * day),
            try Self.backup("20261001-020000F_20261002-020000I", "incr", stop: now - 65 * day),
            try Self.backup("20261003-020000F", "full", stop: now - 64 * day),
            try Self.backup("20261206-020000F", "full", stop: now - 0.4 * day),
            try Self.backup("20261206-020000F_20261206-100000D", "diff", stop: now - 0.1 * day),
        ]
        let plan = PgBackRestRetention(policy: RetentionPolicy(keepDaily: 10, keepWeekly: 4, keepMonthly: 12))
            .plan(backups, stanza: "main", now: now, in: utc)
        let verdicts = Dictionary(uniqueKeysWithValues: plan.decisions.map { ($0.label, ($0.action, $0.reason)) })
        #expect(verdicts["20261206-020000F"]?.0 == .keep)
        #expect(verdicts["20261206-020000F"]?.1 == "the newest full backup")
        #expect(verdicts["20261206-020000F_20261206-100000D"]?.1 == "diff on full 20261206-020000F, which is kept")
        // October: the 3rd is the month's newest; the 1st goes, and its incremental with it.
        #expect(verdicts["20261003-020000F"]?.0 == .keep)
        #expect(verdicts["20261003-020000F"]?.1 == "monthly: newest of 2026-10")
        #expect(verdicts["20261001-020000F"]?.0 == .delete)
        #expect(verdicts["20261001-020000F"]?.1 == "older than 4 weeks and not the newest of 2026-10 (20261003-020000F is)")
        #expect(verdicts["20261001-020000F_20261002-020000I"]?.1 == "incr on full 20261001-020000F, which goes")
        #expect(plan.expiredFulls == ["20261001-020000F"])
        #expect(plan.decisions.first?.label == "20261206-020000F_20261206-100000D", "newest first")
    }
}
