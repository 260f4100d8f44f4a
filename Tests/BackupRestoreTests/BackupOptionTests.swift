import BackupPlugin
import CurateTestSupport
import Foundation
import Testing

/// `--exclude-table`, `--globals`, `--snapshot`, and restore's handling of harmless errors.
extension BackupRestoreIntegrationTests {
    /// A folder with a `pg_dump` that runs `before` (shell) and then the real pg_dump, and the
    /// other client programs linked to the real ones; for `CURATE_PGBIN`.
    static func wrappedPgDump(before: String) throws -> String {
        let bin = try temporaryFolder()
        let real = TestServer.programsFolder
        let script = """
            #!/bin/sh
            for a in "$@"; do [ "$a" = --version ] && exec \(real)/pg_dump --version; done
            \(before)
            exec \(real)/pg_dump "$@"
            """
        _ = FileManager.default.createFile(atPath: bin + "/pg_dump", contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
        for tool in ["pg_restore", "psql", "pg_dumpall"] {
            try FileManager.default.createSymbolicLink(atPath: bin + "/" + tool, withDestinationPath: real + "/" + tool)
        }
        return bin
    }

    @Test("--exclude-table: the excluded tables' definition and data are not in the backup")
    func excludeTable() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql("""
            CREATE TABLE queue_in (id int PRIMARY KEY, job text); INSERT INTO queue_in VALUES (1, 'a'), (2, 'b');
            CREATE TABLE queue_out (id int); INSERT INTO queue_out VALUES (3);
            CREATE TABLE queued (id int); INSERT INTO queued VALUES (4);
            """)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let backup = curate(database, ["\\backup --dir \(folder) --exclude-table queue_* --exclude-table=public.queued"])
        #expect(backup.status == 0, "\(backup)")
        let file = folder + "/" + (try #require(try Self.backups(in: folder).first))
        #expect(try #require(try BackupManifest.read(path: file + ".manifest")).excludedTables == ["queue_*", "public.queued"])
        let list = curate(database, ["\\restore \(file) --list"])
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("TABLE DATA public diskfile"), "\(list)")
        for table in ["queue_in", "queue_out", "queued"] { #expect(!list.stdout.contains(table), "\(table): \(list.stdout)") }

        let target = "\(database.name)_x"
        defer { drop(database.server, target) }
        let restore = curate(database, ["\\restore \(file) --into \(target)"])
        #expect(restore.status == 0, "\(restore)")
        var original = try Self.digests(database)
        for table in ["public.queue_in", "public.queue_out", "public.queued"] { #expect(original.removeValue(forKey: table) != nil) }
        #expect(try Self.digests(database, name: target) == original)

        // A plain dump leaves them out too.
        let plain = curate(database, ["\\backup --dir \(folder) --format plain --exclude-table queue_*"])
        #expect(plain.status == 0, "\(plain)")
        let plainFile = try #require(try Self.backups(in: folder).first { $0.hasSuffix(".gz") })
        let plainList = curate(database, ["\\restore \(folder)/\(plainFile) --list"])
        #expect(plainList.stdout.contains("Name: queued; Type: TABLE"), "\(plainList)")
        #expect(!plainList.stdout.contains("queue_in") && !plainList.stdout.contains("queue_out"), "\(plainList)")
    }

    @Test("--globals: pg_dumpall --globals-only beside the backup, mode 0600, no role passwords unless asked")
    func globals() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let role = "g_" + database.name.suffix(12)
        _ = try database.server.psql("CREATE ROLE \(role) LOGIN PASSWORD 'secret-\(role)'", database: "postgres")
        defer { _ = try? database.server.psql("DROP ROLE IF EXISTS \(role)", database: "postgres") }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let backup = curate(database, ["\\backup --dir \(folder) --globals"])
        #expect(backup.status == 0, "\(backup)")
        let name = try #require(try Self.backups(in: folder).first.flatMap(BackupName.parse))
        let globals = folder + "/" + name.globalsFileName
        #expect(backup.stdout.contains(globals), "\(backup)")
        #expect(BackupFiles.mode(globals) == 0o600)
        #expect(try #require(try BackupManifest.read(path: folder + "/" + name.manifestFileName)).globalsFile == name.globalsFileName)
        let text = try String(contentsOfFile: globals, encoding: .utf8)
        #expect(text.contains("CREATE ROLE \(role);"), "\(text)")
        #expect(!text.contains("PASSWORD"), "\(text)")
        #expect(!text.contains("SCRAM-SHA-256$"))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: folder)).contains { $0.hasSuffix(".partial") })

        // Asked for: the role passwords (as the server stores them) are there.
        let folder2 = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder2) }
        let withPasswords = curate(database, ["\\backup --dir \(folder2) --globals --role-passwords"])
        #expect(withPasswords.status == 0, "\(withPasswords)")
        let name2 = try #require(try Self.backups(in: folder2).first.flatMap(BackupName.parse))
        let text2 = try String(contentsOfFile: folder2 + "/" + name2.globalsFileName, encoding: .utf8)
        #expect(text2.contains("ALTER ROLE \(role) WITH") && text2.contains("PASSWORD '"), "\(text2)")
        #expect(BackupFiles.mode(folder2 + "/" + name2.globalsFileName) == 0o600)
    }

    @Test("--snapshot: the dump shows what the session saw, not rows committed by others after the export")
    func snapshot() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql("CREATE TABLE snap (v text); INSERT INTO snap VALUES ('early')")
        // pg_dump starts after the snapshot was exported; before it does, another connection
        // commits a row.
        let bin = try Self.wrappedPgDump(before: """
            \(TestServer.psqlPath) -X -q -w -c "INSERT INTO snap SELECT 'late' || count(*) FROM snap" || exit 9
            """)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }

        func dumpedRows(_ options: String, after: Int) throws -> String {
            let backup = curate(database, ["\\backup --dir \(folder) \(options)", "SELECT 'after:' || count(*) FROM snap"],
                                environment: ["CURATE_PGBIN": bin])
            #expect(backup.status == 0, "\(backup)")
            // The session is usable afterwards, its snapshot transaction ended.
            #expect(backup.stdout.contains("after:\(after)"), "\(backup)")
            let file = try #require(try Self.backups(in: folder).last)
            try? FileManager.default.removeItem(atPath: folder + "/" + file + ".manifest")
            let target = "\(database.name)_s"
            drop(database.server, target)
            defer { drop(database.server, target) }
            let restore = curate(database, ["\\restore \(folder)/\(file) --into \(target)"])
            #expect(restore.status == 0, "\(restore)")
            try FileManager.default.removeItem(atPath: folder + "/" + file)
            return try database.server.psql("SELECT string_agg(v, ',' ORDER BY v) FROM snap", database: target)
        }
        // Without --snapshot pg_dump sees the late row; with it, only what the session saw.
        #expect(try dumpedRows("", after: 2) == "early,late1")
        #expect(try dumpedRows("--snapshot", after: 3) == "early,late1")
        #expect(try database.psql("SELECT count(*) FROM snap") == "3")
        // --snapshot in an open transaction is refused, before anything else.
        let refused = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            BEGIN;
            INSERT INTO snap VALUES ('mine');
            \\backup --dir \(folder) --snapshot
            ROLLBACK;
            """, timeout: 120)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--snapshot needs an idle session"), "\(refused)")
        #expect(!refused.stderr.contains("NOTE:"), "\(refused)")
        #expect(try database.psql("SELECT count(*) FROM snap") == "3")
    }

    @Test("restore: ownership and grants for missing roles are counted and summarised; a real error still fails",
          arguments: ["custom", "plain"])
    func harmlessErrors(format: String) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let owner = "o_" + database.name.suffix(12), reader = "r_" + database.name.suffix(12)
        _ = try database.server.psql("CREATE ROLE \(owner); CREATE ROLE \(reader)", database: "postgres")
        defer {
            for role in [owner, reader] {
                _ = try? database.psql("DROP OWNED BY \(role)")
                _ = try? database.server.psql("DROP ROLE IF EXISTS \(role)", database: "postgres")
            }
        }
        _ = try database.psql("""
            CREATE TABLE parent (id int PRIMARY KEY); INSERT INTO parent VALUES (1), (2);
            CREATE TABLE child (id int PRIMARY KEY, parent int REFERENCES parent); INSERT INTO child VALUES (10, 1), (11, 2);
            ALTER TABLE child OWNER TO \(owner);
            GRANT SELECT ON parent TO \(reader);
            """)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(curate(database, ["\\backup --dir \(folder) --format \(format)"]).status == 0)
        let file = folder + "/" + (try #require(try Self.backups(in: folder).first))
        // The roles are gone before restoring (as on another server).
        for role in [owner, reader] {
            _ = try database.psql("REASSIGN OWNED BY \(role) TO CURRENT_USER; DROP OWNED BY \(role)")
            _ = try database.server.psql("DROP ROLE \(role)", database: "postgres")
        }
        let target = "\(database.name)_h"
        defer { drop(database.server, target) }
        let restore = curate(database, ["\\restore \(file) --into \(target)"])
        #expect(restore.status == 0, "\(restore)")
        #expect(restore.stdout.contains("2 harmless errors: ownership or grants for roles that do not exist here: \(owner) (1), \(reader) (1)"), "\(restore)")
        #expect(!restore.stderr.contains("does not exist"), "\(restore)")
        #expect(try Self.digests(database) == Self.digests(database, name: target))

        // A real error among harmless ones: an orphan row makes the foreign key fail to come back.
        drop(database.server, target)
        _ = try database.psql("""
            CREATE ROLE \(owner); ALTER TABLE child OWNER TO \(owner);
            SET session_replication_role = replica; INSERT INTO child VALUES (12, 99);
            """)
        try FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(curate(database, ["\\backup --dir \(folder) --format \(format)"]).status == 0)
        let orphanFile = folder + "/" + (try #require(try Self.backups(in: folder).first))
        _ = try database.psql("REASSIGN OWNED BY \(owner) TO CURRENT_USER; DROP OWNED BY \(owner)")
        _ = try database.server.psql("DROP ROLE \(owner)", database: "postgres")
        let failed = curate(database, ["\\restore \(orphanFile) --into \(target)"])
        #expect(failed.status != 0, "\(failed)")
        #expect(failed.stderr.contains("violates foreign key constraint"), "\(failed)")
        #expect(failed.stderr.contains("finished with 1 error"), "\(failed)")
        #expect(failed.stdout.contains("1 harmless error: ownership or grants for role that do not exist here: \(owner) (1)"), "\(failed)")
        #expect(!failed.stdout.contains("done"))
    }

    @Test("restore: a pg_restore that cannot connect (FATAL: role does not exist) is a failed restore, not a harmless error")
    func fatalMissingRole() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(curate(database, ["\\backup --dir \(folder)"]).status == 0)
        let file = folder + "/" + (try #require(try Self.backups(in: folder).first))
        // pg_restore connecting as a role the server does not have.
        let bin = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let real = TestServer.programsFolder
        let script = """
            #!/bin/sh
            for a in "$@"; do case "$a" in --version|--list) exec \(real)/pg_restore "$@";; esac; done
            PGUSER=no_such_role_here exec \(real)/pg_restore "$@"
            """
        _ = FileManager.default.createFile(atPath: bin + "/pg_restore", contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
        for tool in ["pg_dump", "psql", "pg_dumpall"] {
            try FileManager.default.createSymbolicLink(atPath: bin + "/" + tool, withDestinationPath: real + "/" + tool)
        }
        let target = "\(database.name)_f"
        defer { drop(database.server, target) }
        let restore = curate(database, ["\\restore \(file) --into \(target)"], environment: ["CURATE_PGBIN": bin])
        #expect(restore.status != 0, "\(restore)")
        #expect(restore.stderr.contains("role \"no_such_role_here\" does not exist"), "\(restore)")
        #expect(restore.stderr.contains("finished with 1 error"), "\(restore)")
        #expect(!restore.stdout.contains("harmless"), "\(restore)")
    }

    @Test("--globals: a failing pg_dumpall fails the backup and leaves no partial file")
    func globalsFailure() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bin = try Self.wrappedPgDump(before: "")
        defer { try? FileManager.default.removeItem(atPath: bin) }
        try FileManager.default.removeItem(atPath: bin + "/pg_dumpall")
        let failing = "#!/bin/sh\n[ \"$1\" = --version ] && exec \(TestServer.programsFolder)/pg_dumpall --version\n"
            + "echo 'pg_dumpall: error: query failed: permission denied' >&2\nexit 1\n"
        _ = FileManager.default.createFile(atPath: bin + "/pg_dumpall", contents: Data(failing.utf8), attributes: [.posixPermissions: 0o755])
        let backup = curate(database, ["\\backup --dir \(folder) --globals"], environment: ["CURATE_PGBIN": bin])
        try Self.expectFailedBackup(backup, saying: "pg_dumpall --globals-only failed: pg_dumpall: error: query failed: permission denied", in: folder)
    }
}

extension BackupRestoreIntegrationTests {
    /// A plain dump of about 100 MB (0.4 MB compressed) is listed by curate under python's
    /// `resource` accounting of its children: the largest resident size of curate (and its gzip)
    /// stays far below the dump's size, so the dump was never held whole.
    @Test("\\restore --list of a large plain backup streams it: resident memory stays far below its size")
    func plainListStreams() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dump = folder + "/big.pg_dump_p.gz"
        let tables = 1_000
        let make = try Self.runProgram("/bin/bash", ["-c", """
            set -o pipefail
            python3 -c '
            import sys
            filler = ("INSERT INTO t VALUES (" + "0" * 100 + ");\\n") * 1000
            for i in range(\(tables)):
                sys.stdout.write("-- Name: t%d; Type: TABLE; Schema: public; Owner: curator\\n" % i)
                sys.stdout.write(filler)
            ' | gzip -1 > '\(dump)'
            """])
        #expect(make.status == 0, "\(make.output)")
        let measured = try Self.runProgram("/usr/bin/env", ["python3", "-c", """
            import resource, subprocess, sys
            run = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
            lines = [l for l in run.stdout.decode().split("\\n") if l.startswith("Name: t")]
            print("RESULT", run.returncode, len(lines), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """, CurateBinary.path, "-X"] + database.curateArguments + ["-c", "\\restore \(dump) --list"])
        let result = measured.output.split(separator: "\n").first { $0.hasPrefix("RESULT ") } ?? ""
        let fields = result.split(separator: " ").dropFirst().map { Int($0) ?? -1 }
        try #require(fields.count == 3, "\(measured.output)")
        #expect(fields[0] == 0)
        #expect(fields[1] == tables)
        // ru_maxrss is in KiB; the dump decompresses to about 103 MB.
        #expect(fields[2] < 64 * 1024, "curate's largest resident size was \(fields[2]) KiB")
    }

    /// Runs a program to its end: its status and its standard output and error together.
    static func runProgram(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
