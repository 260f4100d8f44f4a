import BackupPlugin
import CurateTestSupport
import Foundation
import Testing

/// Backups and restores against the test server, through the real curate binary.
@Suite("Backup and restore (server)", .serialized)
struct BackupRestoreIntegrationTests {
    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "curate-backup-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func backups(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { BackupName.parse($0)?.kind == .backup }.sorted()
    }

    /// An ordered md5 of every table's contents, keyed by table.
    static func digests(_ database: TestDatabase, name: String? = nil) throws -> [String: String] {
        let tables = try database.server.psql("""
            SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
            """, database: name ?? database.name).split(separator: "\n").map(String.init)
        var result: [String: String] = [:]
        for table in tables {
            result[table] = try database.server.psql(
                "SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM \(table) t",
                database: name ?? database.name)
        }
        return result
    }

    /// Adds a table with awkward types to the sample.
    static func addTypes(_ database: TestDatabase) throws {
        _ = try database.psql("""
            CREATE TABLE typed (id bigserial PRIMARY KEY, b bytea, a integer[], j jsonb, t text DEFAULT 'x', ts timestamptz, n numeric(20, 6), u uuid);
            INSERT INTO typed (b, a, j, t, ts, n, u)
            SELECT decode(md5(g::text), 'hex'), ARRAY[g, g * 2, NULL], jsonb_build_object('g', g, 'tab', E'a\\tb', 'q', 'it''s'),
                   CASE WHEN g % 7 = 0 THEN NULL ELSE E'line\\nbreak ' || g END, '2024-03-05 02:00:01+00'::timestamptz + g * interval '1 hour',
                   g / 7.0, md5(g::text)::uuid
            FROM generate_series(1, 500) g;
            CREATE TABLE "Mixed Case" ("Key" text PRIMARY KEY, v text);
            INSERT INTO "Mixed Case" VALUES ('a', 'b'), ('c', NULL);
            """)
    }

    func curate(_ database: TestDatabase, _ commands: [String], environment: [String: String] = [:]) -> CurateResult {
        CurateProcess.run(in: database, arguments: ["-X"] + commands.flatMap { ["-c", $0] }, environment: environment, timeout: 300)
    }

    func drop(_ server: TestServer, _ name: String) {
        _ = try? server.psql("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", database: "postgres")
    }

    @Test("round trip: back up, restore into a new database, every table equal", arguments: ["custom", "plain", "directory"])
    func roundTrip(format: String) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.addTypes(database)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let backup = curate(database, ["\\backup --dir \(folder) --format \(format)"])
        #expect(backup.status == 0, "\(backup)")
        #expect(backup.stdout.contains("verified"))
        let files = try Self.backups(in: folder)
        try #require(files.count == 1, "\(files)")
        let file = folder + "/" + files[0]
        #expect(BackupName.parse(files[0])?.format.rawValue == format)
        // Private files, a manifest beside it, no partial left.
        #expect(BackupFiles.mode(file) == (format == "directory" ? 0o700 : 0o600))
        if format == "directory" {
            for inner in try FileManager.default.contentsOfDirectory(atPath: file) {
                #expect(BackupFiles.mode(file + "/" + inner) == 0o600, "\(inner)")
            }
        }
        let manifest = try #require(try BackupManifest.read(path: file + ".manifest"))
        #expect(manifest.state == .verified)
        #expect(manifest.sha256 == (try BackupFiles.sha256(file)))
        #expect(BackupFiles.mode(file + ".manifest") == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 2)

        let target = "\(database.name)_r"
        defer { drop(database.server, target) }
        let restore = curate(database, ["\\restore \(file) --into \(target)" + (format == "plain" ? "" : " --jobs 2")])
        #expect(restore.status == 0, "\(restore)")
        #expect(restore.stdout.contains("public.typed"))
        let original = try Self.digests(database)
        let restored = try Self.digests(database, name: target)
        #expect(original.count >= 6)
        #expect(original == restored)
        // Sequences continue where they were.
        #expect(try database.server.psql("SELECT last_value FROM typed_id_seq", database: target) == "500")

        let verify = curate(database, ["\\backup verify \(file)"])
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.contains("OK"))
    }

    @Test("restore --jobs 2 of a custom backup; --list shows the contents")
    func parallelRestore() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(curate(database, ["\\backup --dir \(folder)"]).status == 0)
        let file = try Self.backups(in: folder)[0]
        let list = curate(database, ["\\restore \(file) --dir \(folder) --list"])
        #expect(list.stdout.contains("TABLE DATA public diskfile"), "\(list)")
        let target = "\(database.name)_j"
        defer { drop(database.server, target) }
        let restore = curate(database, ["\\set BACKUP_DIR \(folder)", "\\restore \(file) --into \(target) --jobs 2"])
        #expect(restore.status == 0, "\(restore)")
        #expect(try Self.digests(database) == Self.digests(database, name: target))
        // Into an existing database: refused without --clean; with --clean in a script, needs --yes.
        let again = curate(database, ["\\restore \(folder)/\(file) --into \(target)"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("exists"))
        let noYes = curate(database, ["\\restore \(folder)/\(file) --into \(target) --clean"])
        #expect(noYes.status != 0)
        #expect(noYes.stderr.contains("--yes"))
        _ = try database.server.psql("DELETE FROM header", database: target)
        let clean = curate(database, ["\\restore \(folder)/\(file) --into \(target) --clean --yes"])
        #expect(clean.status == 0, "\(clean)")
        #expect(try Self.digests(database) == Self.digests(database, name: target))
    }

    @Test("partial restore: one table comes back whole")
    func partialRestore() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(curate(database, ["\\backup --dir \(folder)"]).status == 0)
        let file = folder + "/" + (try Self.backups(in: folder)[0])
        let target = "\(database.name)_p"
        defer { drop(database.server, target) }
        let restore = curate(database, ["\\restore \(file) --into \(target) --table diskfile"])
        #expect(restore.status == 0, "\(restore)")
        let tables = try database.server.psql("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'", database: target)
        #expect(tables == "diskfile")
        let original = try Self.digests(database)
        let restored = try Self.digests(database, name: target)
        #expect(restored["public.diskfile"] == original["public.diskfile"])
        let structure = """
            SELECT (SELECT count(*) FROM pg_indexes WHERE tablename = 'diskfile') || ' ' ||
                   (SELECT count(*) FROM pg_constraint WHERE conrelid = 'diskfile'::regclass AND contype = 'p') || ' ' ||
                   (SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'diskfile'::regclass AND adnum = 1) || ' ' ||
                   (SELECT last_value FROM diskfile_id_seq)
            """
        #expect(try database.server.psql(structure, database: target) == database.psql(structure))
        // The foreign key to file is left out (its parent is not there), and said so before it starts ...
        #expect(try database.server.psql("SELECT count(*) FROM pg_constraint WHERE contype = 'f'", database: target) == "0")
        let indexes = try database.psql("""
            SELECT count(*) FROM pg_index i WHERE indrelid = 'diskfile'::regclass
              AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """)
        #expect(restore.stderr.contains("restore: 1 table from \((file as NSString).lastPathComponent) with their rows and "
                                        + "\(indexes) indexes, 1 constraint, 1 sequence, 1 column default\n"), "\(restore)")
        #expect(restore.stderr.contains(
            "NOTE: foreign key diskfile_file_id_fkey of public.diskfile is not restored: the table it references, public.file, is not in this restore"),
            "\(restore)")
        // ... and kept when the parent comes back too.
        let both = "\(database.name)_q"
        defer { drop(database.server, both) }
        let restoreBoth = curate(database, ["\\restore \(file) --into \(both) --table file --table public.diskfile"])
        #expect(restoreBoth.status == 0, "\(restoreBoth)")
        #expect(try database.server.psql("SELECT count(*) FROM pg_constraint WHERE contype = 'f'", database: both) == "1")
        #expect(!restoreBoth.stderr.contains("NOTE: foreign key"), "\(restoreBoth)")
    }

    @Test("a failing pg_dump leaves nothing that looks good, and prune deletes nothing after it")
    func failingDump() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Old backups that prune would delete.
        for day in 1...5 {
            let name = BackupName(database: database.name, timestamp: BackupTimestamp(year: 2020, month: 1, day: day, hour: 2), format: .custom)
            _ = FileManager.default.createFile(atPath: folder + "/" + name.fileName, contents: Data("old".utf8))
        }
        #expect(curate(database, ["\\backup --dir \(folder)"]).status == 0)
        let dry = curate(database, ["\\backup prune --dry-run --dir \(folder)"])
        #expect(dry.stdout.contains("would be deleted"), "\(dry)")
        // A pg_dump that writes half a file and dies.
        let bin = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let fake = """
            #!/bin/sh
            for a in "$@"; do case "$a" in --version) exec \(TestServer.programsFolder)/pg_dump --version;; --file=*) f="${a#--file=}";; esac; done
            head -c 5000 /dev/urandom > "$f"
            kill -9 $$
            """
        _ = FileManager.default.createFile(atPath: bin + "/pg_dump", contents: Data(fake.utf8), attributes: [.posixPermissions: 0o755])
        for tool in ["pg_restore", "psql", "pg_dumpall"] {
            try FileManager.default.createSymbolicLink(atPath: bin + "/" + tool, withDestinationPath: TestServer.programsFolder + "/" + tool)
        }
        let failed = curate(database, ["\\backup --dir \(folder)"], environment: ["CURATE_PGBIN": bin])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("backup failed"), "\(failed)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!names.contains { $0.hasSuffix(".partial") })
        #expect(names.filter { $0.hasSuffix(".failed") }.count == 1)
        #expect(try Self.backups(in: folder).count == 6)
        let prune = curate(database, ["\\backup prune --yes --dir \(folder)"])
        #expect(prune.status == 0, "\(prune)")
        #expect(try Self.backups(in: folder).count == 6, "\(prune)")
        #expect(prune.stdout.contains("nothing deleted"), "\(prune)")
    }

    @Test("prune deletes what the policy says, asks in a script without --yes, keeps foreign files")
    func prune() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for day in 1...5 {
            let name = BackupName(database: database.name, timestamp: BackupTimestamp(year: 2020, month: 1, day: day, hour: 2), format: .custom)
            _ = FileManager.default.createFile(atPath: folder + "/" + name.fileName, contents: Data("old".utf8))
        }
        _ = FileManager.default.createFile(atPath: folder + "/README", contents: Data())
        #expect(curate(database, ["\\backup --dir \(folder)"]).status == 0)
        let refused = curate(database, ["\\backup prune --dir \(folder)"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--yes"))
        #expect(try Self.backups(in: folder).count == 6)
        let list = curate(database, ["\\backup list --dir \(folder)"])
        #expect(list.stdout.contains("prune would delete"), "\(list)")
        #expect(list.stdout.contains("the newest verified backup"))
        let pruned = curate(database, ["\\backup prune --yes --dir \(folder)"])
        #expect(pruned.status == 0, "\(pruned)")
        // 2020-01-05 is the newest of its month: kept by the monthly rule; the others go.
        #expect(try Self.backups(in: folder).count == 2)
        #expect(FileManager.default.fileExists(atPath: folder + "/README"))
    }

    @Test("the password reaches pg_dump only through a private passfile")
    func passwordNotInArguments() throws {
        guard let role = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"],
              let password = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD"] else { return }
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(role); GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO \(role)")
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A pg_dump wrapper recording its arguments, environment and passfile.
        let bin = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let real = TestServer.programsFolder
        let wrapper = """
            #!/bin/sh
            echo "ARGS: $*" >> \(bin)/log
            env | grep '^PG' >> \(bin)/log
            echo "UMASK: $(umask)" >> \(bin)/log
            [ -n "$PGPASSFILE" ] && echo "PASSFILE MODE: $(stat -c %a "$PGPASSFILE")" >> \(bin)/log && echo "PASSFILE: $(cat "$PGPASSFILE")" >> \(bin)/log
            [ -n "$PGPASSFILE" ] && echo "PASSFOLDER MODE: $(stat -c %a "$(dirname "$PGPASSFILE")")" >> \(bin)/log
            exec \(real)/$(basename $0) "$@"
            """
        for tool in ["pg_dump", "pg_restore", "psql", "pg_dumpall"] {
            _ = FileManager.default.createFile(atPath: bin + "/" + tool, contents: Data(wrapper.utf8), attributes: [.posixPermissions: 0o755])
        }
        // The session gets the password at a prompt (never from the environment).
        let session = try PTYSession(
            arguments: ["-X", "-h", database.host, "-p", database.port, "-U", role, "-d", database.name],
            cols: 200, environment: ["CURATE_PGBIN": bin])
        defer { session.terminate() }
        _ = try session.waitFor("assword")
        try session.sendLine(password)
        _ = try session.waitFor("=>")
        try session.sendLine("\\backup --dir \(folder)")
        _ = try session.waitFor("verified", timeout: 60)
        let log = try String(contentsOfFile: bin + "/log", encoding: .utf8)
        let argumentLines = log.split(separator: "\n").filter { $0.hasPrefix("ARGS:") }
        #expect(!argumentLines.isEmpty)
        for line in argumentLines {
            #expect(!line.contains(password))
            if !line.contains("--version") { #expect(line.contains("-w")) }
        }
        #expect(!log.contains("PGPASSWORD"))
        #expect(log.contains("PASSFILE MODE: 600"))
        #expect(log.contains("PASSFOLDER MODE: 700"))
        #expect(log.contains("UMASK: 0077"))
        #expect(log.contains("PASSFILE: *:*:*:*:\(password)"))
        // The passfile is gone afterwards.
        for line in log.split(separator: "\n") where line.hasPrefix("PGPASSFILE=") {
            #expect(!FileManager.default.fileExists(atPath: String(line.dropFirst("PGPASSFILE=".count))))
        }
    }

    @Test("a restore into the connected database is refused while a transaction is open")
    func openTransaction() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            BEGIN;
            UPDATE file SET id = id WHERE id = 1;
            \\backup --dir \(folder)
            ROLLBACK;
            """, timeout: 300)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("uncommitted changes will not be in this backup"), "\(result)")
        let file = try Self.backups(in: folder)[0]
        let refused = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            BEGIN;
            SELECT 1;
            \\restore \(folder)/\(file) --into \(database.name) --clean --yes
            """, timeout: 120)
        #expect(refused.stderr.contains("open transaction"), "\(refused)")
    }
}
