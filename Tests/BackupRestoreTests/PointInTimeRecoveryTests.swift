import CurateTestSupport
import Foundation
import Testing

/// `\restore --engine pgbackrest --as-of TIME --table T --into-new DB` against a real pgBackRest
/// repository and a real scratch cluster. Skipped, saying why, where pgBackRest does not
/// support the test server's version (2.45 stops at PostgreSQL 15).
@Suite("Point-in-time recovery of rows from pgBackRest", .serialized, .enabled(if: PgBackRestCluster.isUsable,
       Comment(rawValue: PgBackRestCluster.skipReason)), .pgbackrestCluster)
struct PointInTimeRecoveryTests {
    func cluster() throws -> PgBackRestCluster {
        try #require(PgBackRestCluster.current, "the suite's archived cluster was not started")
    }

    /// A database with `orders` (50 rows), and a backup set that ended before now.
    func prepared(_ cluster: PgBackRestCluster) throws -> TestDatabase {
        let db = try cluster.server.createDatabase()
        _ = try db.psql("CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL); INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 50) g;")
        let backup = curateWithPgBackRest(cluster, db, ["\\backup --engine pgbackrest --create-stanza --type full"])
        try #require(backup.status == 0, "\(backup)")
        // pgBackRest records whole seconds: recovery can start from the set once a second has passed after it.
        let text = try cluster.pgbackrest(["--stanza=\(cluster.stanza)", "info", "--output=json"])
        let stanzas = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        let stop = try #require(((stanzas.first?["backup"] as? [[String: Any]])?.last?["timestamp"] as? [String: Any])?["stop"] as? Int)
        try Poll.until("the server's clock to pass the backup's end") {
            try db.psql("SELECT clock_timestamp() > to_timestamp(\(stop + 1))") == "t"
        }
        return db
    }

    func databaseExists(_ db: TestDatabase, _ name: String) throws -> Bool {
        try db.psql("SELECT count(*) FROM pg_database WHERE datname = '\(name)'") == "1"
    }

    /// A folder for the scratch cluster the postgres user can reach; empty again after every recovery.
    func scratchParent() throws -> String {
        let path = "/tmp/curate-pitr-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o711])
        return path
    }

    @Test("a row deleted at T comes back with --as-of just before T, in a new database; the live table is untouched")
    func deletedRowComesBack() throws {
        let cluster = try cluster()
        let db = try prepared(cluster)
        let scratch = try scratchParent()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let before = try db.psql("SELECT clock_timestamp()")
        _ = try db.psql("DELETE FROM orders WHERE id = 7; UPDATE orders SET item = 'changed' WHERE id = 8; INSERT INTO orders VALUES (51, 'new');")
        let liveBefore = try db.psql("SELECT md5(string_agg(o::text, '|' ORDER BY id)) FROM orders o")
        let target = "recovered_\(UUID().uuidString.prefix(8).lowercased())"
        defer { _ = try? db.psql("DROP DATABASE IF EXISTS \(target) WITH (FORCE)") }

        let result = curateWithPgBackRest(cluster, db, [
            "\\restore --engine pgbackrest --as-of '\(before)' --table orders --scratch-dir \(scratch) --into-new \(target)",
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("recovered: 50 rows of public.orders as of "), "\(result)")
        #expect(result.stdout.contains("50 recovered, 50 live"), "\(result)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(lines.contains(["only in the recovered copy", "1", "7"]), "\(result)")
        #expect(lines.contains(["only live", "1", "51"]), "\(result)")
        #expect(lines.contains(["changed", "1", "8"]), "\(result)")

        let recovered = TestDatabase(name: target, server: db.server)
        #expect(try recovered.psql("SELECT count(*), min(id), max(id) FROM orders") == "50|1|50")
        #expect(try recovered.psql("SELECT item FROM orders WHERE id = 7") == "item 7")
        #expect(try recovered.psql("SELECT item FROM orders WHERE id = 8") == "item 8")
        // The primary key came with the table.
        #expect(try recovered.psql("SELECT count(*) FROM pg_constraint WHERE conrelid = 'orders'::regclass AND contype = 'p'") == "1")
        // The live table is as it was after the delete.
        #expect(try db.psql("SELECT md5(string_agg(o::text, '|' ORDER BY id)) FROM orders o") == liveBefore)
        #expect(try db.psql("SELECT count(*) FROM orders WHERE id = 7") == "0")
        // No scratch cluster left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)

        // Only some rows: --where.
        let some = "\(target)_some"
        defer { _ = try? db.psql("DROP DATABASE IF EXISTS \(some) WITH (FORCE)") }
        let rows = curateWithPgBackRest(cluster, db, [
            "\\restore --engine pgbackrest --as-of '\(before)' --table public.orders --where 'id BETWEEN 5 AND 9' --scratch-dir \(scratch) --into-new \(some)",
        ])
        #expect(rows.status == 0, "\(rows)")
        #expect(try TestDatabase(name: some, server: db.server).psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM orders") == "5,6,7,8,9")
        #expect(rows.stdout.contains("5 recovered, 4 live"), "\(rows)")
    }

    @Test("bad input is refused before anything is written: a time too early or in the future, an existing database, too little disk, no pgbackrest")
    func badInputRefused() throws {
        let cluster = try cluster()
        let db = try prepared(cluster)
        let scratch = try scratchParent()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let target = "never_\(UUID().uuidString.prefix(8).lowercased())"
        func attempt(_ options: String, into: String? = nil, environment: [String: String] = [:]) -> CurateResult {
            curateWithPgBackRest(cluster, db, ["\\restore --engine pgbackrest --table orders --scratch-dir \(scratch) \(options) --into-new \(into ?? target)"],
                                 environment: environment)
        }
        let cases: [(String, CurateResult)] = [
            ("is before the end of the oldest backup set", attempt("--as-of '2001-01-01 00:00:00+00'")),
            ("is in the future", attempt("--as-of '\(try db.psql("SELECT clock_timestamp() + interval '1 day'"))'")),
            ("already exists: --into-new makes a new database", attempt("--as-of '\(try db.psql("SELECT clock_timestamp()"))'", into: db.name)),
            ("not enough disk for the scratch cluster", attempt("--as-of '\(try db.psql("SELECT clock_timestamp()"))' --keep-free 1000000000000")),
            ("pgbackrest not found on PATH", attempt("--as-of '\(try db.psql("SELECT clock_timestamp()"))'", environment: ["PATH": "/nonexistent"])),
            ("is not a time PostgreSQL can read", attempt("--as-of 'half past nine'")),
        ]
        for (message, result) in cases {
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains(message), "expected “\(message)”: \(result)")
        }
        #expect(try !databaseExists(db, target))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
        #expect(try db.psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'curate_pitr_%'") == "0")
    }

    @Test("a target after the last archived WAL while archiving is broken: refused, nothing written")
    func archivingBroken() throws {
        let cluster = try cluster()
        let db = try prepared(cluster)
        let scratch = try scratchParent()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        _ = try db.psql("ALTER SYSTEM SET archive_command = 'false'; SELECT pg_reload_conf();")
        defer { _ = try? db.psql("ALTER SYSTEM SET archive_command = '\(cluster.archiveCommand)'; SELECT pg_reload_conf();") }
        _ = try db.psql("DELETE FROM orders WHERE id = 3")
        let now = try db.psql("SELECT clock_timestamp()")
        let target = "never_\(UUID().uuidString.prefix(8).lowercased())"
        let result = curateWithPgBackRest(cluster, db, [
            "\\restore --engine pgbackrest --as-of '\(now)' --table orders --scratch-dir \(scratch) --into-new \(target)",
        ], environment: ["PGBACKREST_ARCHIVE_TIMEOUT": "2"])
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("is after the last archived WAL"), "\(result)")
        #expect(result.stderr.contains("WAL archiving does not work"), "\(result)")
        #expect(try !databaseExists(db, target))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
    }

    @Test("a recovery that fails half-way leaves no scratch cluster and no database, under the requested name or a temporary one")
    func failureCleansUp() throws {
        let cluster = try cluster()
        let db = try prepared(cluster)
        let scratch = try scratchParent()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // The column default calls a function that is not copied with the table: the new
        // database fails while the table is being made in it.
        _ = try db.psql("""
            CREATE FUNCTION next_code() RETURNS int LANGUAGE sql AS 'SELECT 42';
            CREATE TABLE coded (id int PRIMARY KEY, code int DEFAULT next_code());
            INSERT INTO coded (id) SELECT generate_series(1, 5);
            """)
        let now = try db.psql("SELECT clock_timestamp()")
        let target = "never_\(UUID().uuidString.prefix(8).lowercased())"
        let failed = curateWithPgBackRest(cluster, db, [
            "\\restore --engine pgbackrest --as-of '\(now)' --table coded --scratch-dir \(scratch) --into-new \(target)",
        ])
        #expect(failed.status != 0, "\(failed)")
        #expect(failed.stderr.contains("restoring public.coded's definition (pre-data) failed"), "\(failed)")
        // A table that did not exist then: the scratch cluster had started, and is gone too.
        let missing = curateWithPgBackRest(cluster, db, [
            "\\restore --engine pgbackrest --as-of '\(now)' --table no_such_table --scratch-dir \(scratch) --into-new \(target)",
        ])
        #expect(missing.status != 0, "\(missing)")
        #expect(missing.stderr.contains("table no_such_table did not exist at"), "\(missing)")

        #expect(try !databaseExists(db, target))
        #expect(try db.psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'curate_pitr_%'") == "0")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
        // No process still runs on a folder under it (a server whose folder was deleted would).
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int($0) != nil } ?? []
        let onScratch = processes.filter { pid in
            let line = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return line.contains(scratch + "/")
        }
        #expect(onScratch.isEmpty, "processes still on the scratch folder: \(onScratch)")
    }
}
