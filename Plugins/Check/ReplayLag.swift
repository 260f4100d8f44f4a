import CurateChecks
import CurateKit

/// How far a standby's replay was behind its primary when a `\check --on standby` run began:
/// what its findings are based on.
///
/// The measure is the WAL the standby had still to replay: the primary's position
/// (`pg_current_wal_lsn()`, read first) against the standby's (`pg_last_wal_replay_lsn()`, read
/// after). Zero means the standby had replayed everything the primary had written when the run
/// began, so each check sees at least the data a check on the primary would have seen then. The
/// time since the last replayed commit (`pg_last_xact_replay_timestamp()`) is no lag measure on
/// its own: on an idle primary it grows while the standby is fully caught up; it is stated only
/// as the age of the standby's data when there is WAL left to replay.
struct ReplayLag {
    /// `host:port` of the standby.
    var server: String
    var primaryLSN: String
    var replayLSN: String
    /// Bytes of WAL still to replay (0 when caught up; never negative: replay may pass the
    /// primary's position read a moment earlier).
    var bytesBehind: Int64
    /// The last replayed commit, `YYYY-MM-DDTHH:MM:SS.ffffffZ`; nil when none was replayed since the standby started.
    var lastReplayedCommit: String?
    /// The same in Unix seconds, as the server wrote them.
    var lastReplayedCommitEpoch: String?
    /// Seconds between the last replayed commit and the measurement, on the standby's clock.
    var secondsSinceLastReplay: Double?
    var replayPaused: Bool

    var caughtUp: Bool { bytesBehind == 0 }

    /// Reads the primary's WAL position on `primary`, then the standby's replay on `standby`.
    static func measure(primary: Session, standby: Session, server: String) throws -> ReplayLag {
        let position = { try primary.execute("SELECT pg_catalog.pg_current_wal_lsn()::text").rows.first?[0] ?? nil }
        let primaryLSN: String?
        switch primary.transactionState {
        case .inTransaction: primaryLSN = try primary.savepoint(position)
        case .failed:
            throw CommandError("the current transaction has failed; the primary's WAL position cannot be read in it",
                               hint: "ROLLBACK (or ROLLBACK TO a savepoint) first")
        default: primaryLSN = try position()
        }
        guard let primaryLSN else { throw CommandError("the primary did not give its WAL position") }
        let row = try standby.execute("""
            SELECT pg_catalog.pg_last_wal_replay_lsn()::text,
                   GREATEST(pg_catalog.pg_wal_lsn_diff($1::pg_lsn, pg_catalog.pg_last_wal_replay_lsn()), 0)::bigint,
                   to_char(pg_catalog.pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                   extract(epoch FROM pg_catalog.pg_last_xact_replay_timestamp())::text,
                   extract(epoch FROM pg_catalog.now() - pg_catalog.pg_last_xact_replay_timestamp())::float8,
                   pg_catalog.pg_is_wal_replay_paused()
            """, [primaryLSN]).rows.first
        guard let row, let replayLSN = row[0] else {
            throw CommandError("the standby (\(server)) gave no replay position: is it still in recovery?")
        }
        return ReplayLag(server: server, primaryLSN: primaryLSN, replayLSN: replayLSN, bytesBehind: Int64(row[1] ?? "0") ?? 0,
                         lastReplayedCommit: row[2], lastReplayedCommitEpoch: row[3], secondsSinceLastReplay: row[4].flatMap { Double($0) },
                         replayPaused: row[5] == "t")
    }

    /// The lag in words: what `\check --on standby` prints above its findings.
    var summary: String {
        var text: String
        if caughtUp {
            text = "replay caught up with the primary (WAL \(replayLSN)) when the run began"
        } else {
            text = "replay \(bytesBehind) byte\(bytesBehind == 1 ? "" : "s") of WAL behind the primary (at \(replayLSN) of \(primaryLSN)) when the run began"
            if let commit = lastReplayedCommit {
                text += "; data as of the commit replayed last, \(commit)"
                if let seconds = secondsSinceLastReplay { text += " (\(Self.seconds(seconds)) s before)" }
            } else {
                text += "; no transaction replayed since the standby started"
            }
        }
        if replayPaused { text += "; replay is paused" }
        return text
    }

    /// The line printed with the findings (`--format table`).
    var line: String { "On standby \(server): \(summary)." }

    /// `--format json`: the `standby` object.
    var jsonObject: String {
        let quoted = JSONString.quoted
        return "{" + [
            "\"server\": " + quoted(server),
            "\"caught_up\": \(caughtUp)",
            "\"lag_bytes\": \(bytesBehind)",
            "\"primary_lsn\": " + quoted(primaryLSN),
            "\"replay_lsn\": " + quoted(replayLSN),
            "\"last_replayed_commit\": " + (lastReplayedCommit.map(quoted) ?? "null"),
            "\"replay_paused\": \(replayPaused)",
            "\"summary\": " + quoted(summary),
        ].joined(separator: ", ") + "}"
    }

    /// `--format prometheus`: the standby's gauges.
    var metrics: PrometheusMetrics.Standby {
        PrometheusMetrics.Standby(server: server, lagBytes: bytesBehind, lastReplayedCommit: lastReplayedCommitEpoch, replayPaused: replayPaused)
    }

    static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}

/// `--format nagios`: the lag in the status text and in the performance data.
extension NagiosStatus {
    func adding(_ lag: ReplayLag) -> NagiosStatus {
        var status = self
        let note = (lag.caughtUp ? "on standby \(lag.server), caught up" : "on standby \(lag.server), \(lag.bytesBehind) bytes of WAL behind")
            + (lag.replayPaused ? ", replay paused" : "")
        let perfdata = "standby_lag_bytes=\(lag.bytesBehind)B;;;0"
        if let bar = status.line.range(of: " | ") {
            status.line = String(status.line[..<bar.lowerBound]) + " (" + note + ") | " + String(status.line[bar.upperBound...]) + " " + perfdata
        } else {
            status.line += " (" + note + ") | " + perfdata
        }
        return status
    }
}
