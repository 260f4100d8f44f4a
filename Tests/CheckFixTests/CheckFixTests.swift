import CurateChecks
import CurateTestSupport
import Foundation
import Testing

/// Helpers: run curate in a database, parse `\check --format json`.
enum Check {
    static func json(_ database: TestDatabase, _ names: [String], variables: [String] = []) throws -> [[String: Any]] {
        let arguments = ["-X"] + variables.flatMap { ["-v", $0] } + ["-c", "\\check \(names.joined(separator: " ")) --format json"]
        let result = CurateProcess.run(in: database, arguments: arguments)
        #expect(result.status == 0, "\(result)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["checks"] as? [[String: Any]] ?? []
    }

    static func outcome(_ checks: [[String: Any]], _ name: String) -> [String: Any]? {
        checks.first { $0["check"] as? String == name }
    }

    /// "diskfile_id|file_id|file_name" lines of a check's rows, as psql -At prints the reference.
    static func referenceLines(_ outcome: [String: Any]?) -> [String] {
        let rows = outcome?["rows"] as? [[String: Any]] ?? []
        return rows.map { row in
            "\(row["diskfile_id"].map { "\($0)" } ?? "")|\(row["file_id"].map { "\($0)" } ?? "")|\(row["file_name"] as? String ?? "")"
        }
    }

    static let referenceCanonical = "SELECT DISTINCT d.id, f.id, f.name FROM diskfile d JOIN file f ON f.id = d.file_id JOIN diskfile d2 ON d.file_id = d2.file_id WHERE d.id <> d2.id AND d.canonical AND d2.canonical ORDER BY d.id"
    static let referencePresent = "SELECT DISTINCT d.id, f.id, f.name FROM diskfile d JOIN file f ON f.id = d.file_id JOIN diskfile d2 ON d.file_id = d2.file_id WHERE d.id <> d2.id AND d.present AND d2.present ORDER BY d.id"
    static let referenceNotCanonical = "SELECT DISTINCT d.id, f.id, f.name FROM diskfile d JOIN file f ON f.id = d.file_id WHERE d.present AND NOT d.canonical ORDER BY d.id"

    static func lines(_ text: String) -> [String] { text.isEmpty ? [] : text.split(separator: "\n").map(String.init) }

    static func assertEqualsReference(_ database: TestDatabase) throws {
        let checks = try json(database, ["duplicate-canonical", "duplicate-present", "present-not-canonical"])
        #expect(referenceLines(outcome(checks, "duplicate-canonical")) == lines(try database.psql(referenceCanonical)))
        #expect(referenceLines(outcome(checks, "duplicate-present")) == lines(try database.psql(referencePresent)))
        #expect(referenceLines(outcome(checks, "present-not-canonical")) == lines(try database.psql(referenceNotCanonical)))
    }
}

@Suite("check: the fitsstorage pack on the sample (size 200: c(r) = 2)")
struct FitsstorageCheckTests {
    @Test("every check finds exactly the seeded rows")
    func seededCounts() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let checks = try Check.json(database, ["fitsstorage"], variables: ["CURATE_CHECK_NOW=2024-06-30 12:00"])
        let expected: [String: Int] = [
            "duplicate-canonical": 4, "duplicate-present": 8, "present-not-canonical": 2, "no-canonical": 2,
            "orphan-file": 2, "header-duplicate": 2, "queue-stuck": 2, "queue-duplicate-inprogress": 4,
        ]
        #expect(checks.count == 8)
        for (name, count) in expected {
            let outcome = Check.outcome(checks, name)
            #expect(outcome?["count"] as? Int == count, "\(name): \(String(describing: outcome))")
            #expect(outcome?["status"] as? String == "findings")
        }
        let stuck = Check.outcome(checks, "queue-stuck")?["rows"] as? [[String: Any]] ?? []
        #expect(stuck.map { $0["id"] as? Int } == [1, 2])
        let orphans = Check.outcome(checks, "orphan-file")?["rows"] as? [[String: Any]] ?? []
        #expect(orphans.map { $0["file_id"] as? Int } == [32, 132])
        let duplicates = Check.outcome(checks, "duplicate-canonical")?["rows"] as? [[String: Any]] ?? []
        #expect(duplicates.map { $0["diskfile_id"] as? Int } == [7, 9, 107, 109])
    }

    @Test("json output follows the documented schema")
    func jsonSchema() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check --format json --limit 1"])
        #expect(result.status == 0, "\(result)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "curate-check")
        #expect(object["version"] as? Int == 1)
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(checks.count == CheckCatalog.builtIn.checks.count)
        let statuses: Set<String> = ["passed", "findings", "skipped", "failed"]
        for check in checks {
            #expect(check["check"] is String)
            #expect(check["pack"] is String)
            #expect(["info", "warning", "error"].contains(check["severity"] as? String ?? ""))
            let status = try #require(check["status"] as? String)
            #expect(statuses.contains(status))
            #expect(check["elapsed_ms"] is NSNumber)
            #expect(check["rows"] is [[String: Any]])
            #expect(check["truncated"] is Bool)
            if status == "skipped" {
                #expect(check["skipped_reason"] is String)
                #expect(check["count"] is NSNull)
            } else {
                #expect(check["skipped_reason"] is NSNull)
                #expect(check["count"] is Int)
            }
            if status == "findings" {
                #expect((check["rows"] as? [Any])?.count == 1, "--limit 1")
                #expect(check["truncated"] as? Bool == ((check["count"] as? Int ?? 0) > 1))
            }
        }
        #expect(Check.outcome(checks, "amcheck-btree")?["skipped_reason"] as? String == "amcheck not installed (CREATE EXTENSION amcheck)")
    }

    @Test("findings equal the archive's three reference queries on the sample")
    func referenceQueriesOnSample() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Check.assertEqualsReference(database)
    }

    @Test("findings equal the reference queries on generated databases with random problems", arguments: [1, 2, 3, 4, 5])
    func referenceQueriesRandom(seed: Int) throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let schema = try String(contentsOf: CurateBinary.packageRoot.appendingPathComponent("Sample/fitsstorage-schema.sql"), encoding: .utf8)
        try database.psql(schema)
        try database.psql("""
            SELECT setseed(\(Double(seed) / 10));
            INSERT INTO file (name) SELECT 'F' || i || '.fits' FROM generate_series(1, 400) i;
            INSERT INTO diskfile (file_id, filename, present, canonical, entrytime)
            SELECT f.id, 'F' || f.id || '.fits',
                   CASE WHEN random() < 0.03 THEN NULL ELSE random() < 0.75 END,
                   CASE WHEN random() < 0.03 THEN NULL ELSE random() < 0.7 END,
                   timestamptz '2024-01-01' + random() * interval '30 days'
            FROM file f CROSS JOIN LATERAL generate_series(1, 1 + (random() * 2.6)::int) g
            WHERE random() < 0.95;
            """)
        try Check.assertEqualsReference(database)
    }

    @Test("checks whose tables are missing are skipped with the reason, never passed")
    func skippedWhenTablesMissing() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let checks = try Check.json(database, [])
        for name in ["duplicate-canonical", "orphan-file", "header-duplicate", "queue-stuck"] {
            let outcome = Check.outcome(checks, name)
            #expect(outcome?["status"] as? String == "skipped")
            #expect((outcome?["skipped_reason"] as? String)?.contains("exist") == true, "\(String(describing: outcome))")
        }
        let table = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check duplicate-canonical"])
        #expect(table.stdout.contains("duplicate-canonical (fitsstorage, error): skipped: tables diskfile, file do not exist"), "\(table)")
    }

    @Test("--fail-on: exit status 3 when findings of that severity or worse exist, 0 otherwise")
    func failOn() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let failing = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check fitsstorage --fail-on error"])
        #expect(failing.status == 3, "\(failing)")
        #expect(failing.stderr.contains("found problems of severity error or worse"))
        let infoOnly = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file --fail-on warning"])
        #expect(infoOnly.status == 0, "\(infoOnly)")
        let infoFails = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file --fail-on info"])
        #expect(infoFails.status == 3, "\(infoFails)")
        let clean = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check postgres --fail-on error"])
        #expect(clean.status == 0, "\(clean)")
    }

    @Test("--list lists every check with pack and severity; csv has one line per row")
    func listAndCSV() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let list = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check --list"])
        #expect(list.status == 0)
        for check in CheckCatalog.builtIn.checks { #expect(list.stdout.contains(check.name)) }
        let csv = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\check orphan-file --format csv"])
        #expect(csv.stdout.split(separator: "\n").count == 3, "\(csv)")
        #expect(csv.stdout.hasPrefix("check,pack,severity,status,count,elapsed_ms,reason,row\n"))
    }
}
