import BackupPlugin
import CurateKit
import Foundation

/// The `--as-of` time of a point-in-time recovery, read by the live server (so every form
/// PostgreSQL accepts works, in the session's time zone), and checked against what the
/// pgBackRest repository can give back.
struct RecoveryTarget {
    /// In UTC, for pgBackRest's `--target`: `2026-12-06 18:31:56.984215+00`.
    let text: String
    let epoch: Double

    /// Reads `value` on the live server; a value it cannot read is refused with its message.
    static func read(_ value: String, session: Session) throws -> (target: RecoveryTarget, serverNow: Double) {
        let result: QueryResult
        do {
            result = try session.execute("""
                SELECT to_char(($1::timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00',
                       extract(epoch FROM $1::timestamptz)::float8, extract(epoch FROM clock_timestamp())::float8
                """, [value])
        } catch {
            throw CommandError("--as-of \(value) is not a time PostgreSQL can read: \(error)",
                               hint: "e.g. --as-of '2026-12-06 18:31:56+00' (a time without a zone is in the session's TimeZone)")
        }
        guard let row = result.rows.first, let text = row[0], let epoch = row[1].flatMap(Double.init),
              let now = row[2].flatMap(Double.init) else {
            throw CommandError("--as-of \(value): the server gave no time for it")
        }
        return (RecoveryTarget(text: text, epoch: epoch), now)
    }

    /// The backup set to restore from: the newest whose end is before the target. Each refusal
    /// says what the repository can give instead.
    func backupSet(in info: PgBackRestStanzaInfo, serverNow: Double) throws -> PgBackRestStanzaInfo.Backup {
        guard !info.backup.isEmpty else {
            throw CommandError("stanza \(info.name) has no backup yet: there is nothing to recover from",
                               hint: "\\backup --engine pgbackrest takes one; recovery reaches back to the end of the oldest backup")
        }
        if epoch > serverNow {
            throw CommandError("--as-of \(text) is in the future (the server's clock says \(Self.utc(serverNow))): no WAL can hold it yet")
        }
        // pgBackRest records whole seconds: a set that ended in the target's own second may
        // end after it, so it does not count.
        let usable = info.backup.filter { Double($0.timestamp.stop) + 1 <= epoch }
        guard let chosen = usable.max(by: { $0.timestamp.stop < $1.timestamp.stop }) else {
            let oldest = info.backup.min { $0.timestamp.stop < $1.timestamp.stop }!
            throw CommandError("--as-of \(text) is before the end of the oldest backup set (\(oldest.label) ended at \(Self.utc(Double(oldest.timestamp.stop)))): nothing can be recovered that early",
                               hint: "pick a time after \(Self.utc(Double(oldest.timestamp.stop + 1)))")
        }
        // Its WAL must still be in the archive (the archive's last segment is at or after the set's last one).
        if let stop = chosen.archive?.stop, let archive = info.archive.last, let max = archive.max, max < stop {
            throw CommandError("the WAL archive of stanza \(info.name) ends at \(max), before backup set \(chosen.label) ends (\(stop)): it cannot be restored")
        }
        return chosen
    }

    static func utc(_ epoch: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'+00'"
        return formatter.string(from: Date(timeIntervalSince1970: epoch))
    }
}
