/// The replay lag of a `\check --on standby` run in the metrics text (`--format prometheus`).
extension PrometheusMetrics {
    /// The standby a run's checks ran on, as the metrics state it.
    public struct Standby: Sendable {
        /// `host:port` of the standby.
        public var server: String
        /// Bytes of WAL the standby had still to replay when the run began (0: caught up).
        public var lagBytes: Int64
        /// When the last transaction the standby replayed committed on the primary (Unix
        /// seconds, as the server wrote them); nil when it has replayed none since it started.
        public var lastReplayedCommit: String?
        public var replayPaused: Bool

        public init(server: String, lagBytes: Int64, lastReplayedCommit: String?, replayPaused: Bool) {
            self.server = server
            self.lagBytes = lagBytes
            self.lastReplayedCommit = lastReplayedCommit
            self.replayPaused = replayPaused
        }
    }

    /// `text` with the standby's gauges before its `# EOF`. The lag is in bytes of WAL, not in
    /// seconds since the last replayed commit: on an idle primary that age grows while the
    /// standby is fully caught up. The commit's time is given as a timestamp to compare with.
    public static func adding(_ standby: Standby, database: String, to text: String) -> String {
        var body = text.hasSuffix("# EOF\n") ? String(text.dropLast("# EOF\n".count)) : text
        let labels = "database=\"\(escapeLabel(database))\",standby=\"\(escapeLabel(standby.server))\""
        func family(_ name: String, _ help: String, _ value: String) {
            body += "# TYPE \(name) gauge\n# HELP \(name) \(escapeHelp(help))\n\(name){\(labels)} \(value)\n"
        }
        family("curate_check_standby_lag_bytes",
               "Bytes of WAL the standby the checks ran on had still to replay when the run began (0: caught up).",
               String(standby.lagBytes))
        if let commit = standby.lastReplayedCommit {
            family("curate_check_standby_last_replayed_commit_timestamp_seconds",
                   "When the last transaction the standby had replayed committed on the primary (Unix time).",
                   commit)
        }
        family("curate_check_standby_replay_paused", "1 when replay on the standby was paused, else 0.", standby.replayPaused ? "1" : "0")
        return body + "# EOF\n"
    }
}
