import CurateTestSupport
import Foundation
import Testing

/// `\check --format prometheus` (read back with prometheus_client's parsers, the OpenMetrics
/// one and the Prometheus text one that node_exporter's format follows) and `--format nagios`.
@Suite("check output for monitoring: prometheus and nagios")
struct CheckMonitoringFormatTests {
    /// Each sample as `parser name {labels as sorted JSON} value`, one line each.
    static let parse = """
        import json, sys
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
        from prometheus_client.parser import text_string_to_metric_families as prometheus
        text = open(sys.argv[1]).read()
        for parser_name, parse in (("openmetrics", openmetrics), ("prometheus", prometheus)):
            for family in parse(text):
                if family.type != "gauge":
                    raise SystemExit("not a gauge: " + family.name)
                for sample in family.samples:
                    print(parser_name, sample.name, json.dumps(sample.labels, sort_keys=True), float(sample.value))
        """

    @Test("--format prometheus --output FILE: gauges per check and of the last backup, written by rename, read by both parsers")
    func prometheus() throws {
        let pythonPath = try TestTools.pythonPath()
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Packs.withFolder { folder in
            let backups = folder + "/backups"
            let backup = CurateProcess.run(in: database, arguments: ["-X", "-v", "BACKUP_DIR=\(backups)", "-c", "\\backup"])
            #expect(backup.status == 0, "\(backup)")
            // The backup made two days ago, as its manifest says (local wall-clock time).
            let manifestName = try #require(try FileManager.default.contentsOfDirectory(atPath: backups).first { $0.hasSuffix(".manifest") })
            let manifestPath = backups + "/" + manifestName
            var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [String: Any])
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone.current
            formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS"
            manifest["created"] = formatter.string(from: Date().addingTimeInterval(-2 * 86400))
            try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: manifestPath))

            let metrics = folder + "/curate.prom"
            let result = CurateProcess.run(in: database, arguments: [
                "-X", "-v", "BACKUP_DIR=\(backups)", "-c", "\\check orphan-file disabled-trigger --format prometheus --output \(metrics)"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            // Written through a temporary name in the same folder, renamed: nothing else is left.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["backups", "curate.prom"])
            let text = try String(contentsOfFile: metrics, encoding: .utf8)
            #expect(text.hasSuffix("# EOF\n"), "\(text)")
            try Packs.write(Self.parse, to: folder + "/parse.py")
            let parsed = try TestTools.run("/usr/bin/env", ["python3", folder + "/parse.py", metrics], environment: ["PYTHONPATH": pythonPath])
            #expect(parsed.status == 0, "\(parsed.stderr)\n\(text)")
            let lines = parsed.stdout.split(separator: "\n").map(String.init)
            let db = database.name
            for parser in ["openmetrics", "prometheus"] {
                let orphan = "{\"check\": \"orphan-file\", \"database\": \"\(db)\", \"pack\": \"fitsstorage\", \"severity\": \"info\"}"
                let passing = "{\"check\": \"disabled-trigger\", \"database\": \"\(db)\", \"pack\": \"postgres\", \"severity\": \"warning\"}"
                #expect(lines.contains("\(parser) curate_check_findings \(orphan) 2.0"), "\(parsed.stdout)")
                #expect(lines.contains("\(parser) curate_check_findings \(passing) 0.0"), "\(parsed.stdout)")
                #expect(lines.contains("\(parser) curate_check_status \(orphan) 1.0"), "\(parsed.stdout)")
                #expect(lines.contains("\(parser) curate_check_status \(passing) 0.0"), "\(parsed.stdout)")
                #expect(lines.contains { $0.hasPrefix("\(parser) curate_check_duration_seconds \(orphan) ") }, "\(parsed.stdout)")
                #expect(lines.contains("\(parser) curate_backup_verified {\"database\": \"\(db)\"} 1.0"), "\(parsed.stdout)")
                let age = try #require(lines.first { $0.hasPrefix("\(parser) curate_last_backup_age_seconds ") }?.split(separator: " ").last.flatMap { Double($0) })
                #expect(age >= 2 * 86400 && age < 2 * 86400 + 3600, "\(age)")
            }
        }
    }

    @Test("--format prometheus without --output prints the metrics; --output goes only with it")
    func prometheusToStandardOutput() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file --format prometheus --no-record"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("# TYPE curate_check_findings gauge\n"), "\(result)")
        #expect(result.stdout.contains("curate_check_findings{check=\"orphan-file\",pack=\"fitsstorage\",severity=\"info\",database=\"\(database.name)\"} 2\n"), "\(result)")
        #expect(result.stdout.hasSuffix("# EOF\n"), "\(result)")
        let refused = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file --output /tmp/x.prom"])
        #expect(refused.status != 0, "\(refused)")
        #expect(refused.stderr.contains("--output goes with --format prometheus"), "\(refused)")
    }

    @Test("--format nagios: one line and exit status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN in a script")
    func nagios() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        func run(_ names: String, _ extra: [String] = []) -> CurateResult {
            CurateProcess.run(in: database, arguments: ["-X"] + extra + ["-c", "\\check \(names) --format nagios --no-record"])
        }
        let ok = run("orphan-file disabled-trigger")
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdout == "CURATE CHECK OK - 2 checks ran, 1 with findings of severity info | orphan-file=2;;;0 disabled-trigger=0;;;0\n", "\(ok)")
        #expect(ok.stderr.isEmpty, "\(ok)")

        let warning = run("present-not-canonical orphan-file")
        #expect(warning.status == 1, "\(warning)")
        #expect(warning.stdout == "CURATE CHECK WARNING - warnings: present-not-canonical 2 | present-not-canonical=2;;;0 orphan-file=2;;;0\n", "\(warning)")

        let critical = run("duplicate-canonical disabled-trigger")
        #expect(critical.status == 2, "\(critical)")
        #expect(critical.stdout == "CURATE CHECK CRITICAL - errors: duplicate-canonical 4 | duplicate-canonical=4;;;0 disabled-trigger=0;;;0\n", "\(critical)")
        #expect(critical.stderr.isEmpty, "\(critical)")

        // amcheck is not installed in the sample: the check is skipped, nothing was looked at.
        let skipped = run("amcheck-btree")
        #expect(skipped.status == 3, "\(skipped)")
        #expect(skipped.stdout == "CURATE CHECK UNKNOWN - no check ran (1 skipped)\n", "\(skipped)")

        try Packs.withFolder { folder in
            try Packs.write("""
                -- pack: fragile
                -- check: always-breaks
                -- severity: info
                -- description: cannot run
                SELECT 1 / 0;
                """, to: folder + "/fragile.pack.sql")
            let unknown = run("always-breaks orphan-file", ["--plugin-dir", folder])
            #expect(unknown.status == 3, "\(unknown)")
            #expect(unknown.stdout == "CURATE CHECK UNKNOWN - could not run: always-breaks | orphan-file=2;;;0\n", "\(unknown)")
        }
    }
}
