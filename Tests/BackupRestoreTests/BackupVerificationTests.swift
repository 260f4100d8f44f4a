import BackupPlugin
import CurateTestSupport
import Foundation
import Testing

/// The verification read and the checksum catch damaged backups; the client programs are found,
/// or their absence and age are explained.
extension BackupRestoreIntegrationTests {
    /// The folder of the real client programs.
    static var realBin: String { TestServer.programsFolder }

    /// A folder for `CURATE_PGBIN` holding `scripts` (name → shell script) and links to the real
    /// client programs for the others.
    static func fakeBin(_ scripts: [String: String]) throws -> String {
        let bin = try temporaryFolder()
        for tool in ["pg_dump", "pg_restore", "psql", "pg_dumpall"] {
            if let script = scripts[tool] {
                _ = FileManager.default.createFile(atPath: bin + "/" + tool, contents: Data(("#!/bin/sh\n" + script).utf8),
                                                   attributes: [.posixPermissions: 0o755])
            } else {
                try FileManager.default.createSymbolicLink(atPath: bin + "/" + tool, withDestinationPath: realBin + "/" + tool)
            }
        }
        return bin
    }

    /// A backup that failed saying `message` and left only its `NAME.failed` note in `folder`.
    static func expectFailedBackup(_ result: CurateResult, saying message: String, in folder: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.status != 0, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "\(result)", sourceLocation: sourceLocation)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(names.count == 1 && names[0].hasSuffix(".failed"), "\(names)", sourceLocation: sourceLocation)
    }

    /// Runs a real client program; its exit status and standard error.
    static func runTool(_ tool: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: realBin + "/" + tool)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// Changes the byte at `offset` (all its bits, or `mask`).
    static func flipByte(at offset: Int, in path: String, mask: UInt8 = 0xFF) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[offset] ^= mask
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// Two tables of about 1 MB each in a custom dump (md5 text compresses to about half), so that
    /// a quarter and two thirds into the file are inside the first and the second one's data.
    static func addTwoLargeTables(_ database: TestDatabase) throws {
        _ = try database.psql("""
            CREATE TABLE big_a AS SELECT g, md5(g::text) || md5((g * 7)::text) AS t FROM generate_series(1, 30000) g;
            CREATE TABLE big_b AS SELECT g, md5((g + 1)::text) || md5((g * 3)::text) AS t FROM generate_series(1, 30000) g;
            """)
    }

    /// A copy of `file` under another backup name in `folder`, without a manifest.
    static func copyWithoutManifest(_ file: String, to folder: String, day: Int) throws -> String {
        let name = BackupName(database: "copy", timestamp: BackupTimestamp(year: 2025, month: 1, day: day, hour: 2), format: .custom)
        let copy = folder + "/" + name.fileName
        try FileManager.default.copyItem(atPath: file, toPath: copy)
        return copy
    }

    @Test("a damaged custom backup fails the read: a byte in either table's data, in the last block, a truncated file")
    func damagedArchive() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.addTwoLargeTables(database)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(curate(database, ["\\backup --dir \(folder)"]).status == 0)
        let file = folder + "/" + (try #require(try Self.backups(in: folder).first))
        let size = Int(BackupFiles.size(file))
        #expect(size > 1_500_000, "the dump is smaller than planned: \(size) bytes")

        // Intact, without a manifest: read to the end, nothing to compare the SHA-256 with.
        let intact = try Self.copyWithoutManifest(file, to: folder, day: 1)
        let good = curate(database, ["\\backup verify \(intact)"])
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout.contains("OK (read to the end"), "\(good)")

        var damagedTables: [String] = []
        for (day, offset) in [(2, size / 4), (3, size * 2 / 3), (4, size - 8)] {
            let damaged = try Self.copyWithoutManifest(file, to: folder, day: day)
            try Self.flipByte(at: offset, in: damaged)
            let result = curate(database, ["\\backup verify \(damaged)"])
            #expect(result.status != 0, "byte \(offset) of \(size): \(result)")
            #expect(result.stderr.contains("FAILED verification: reading the archive failed: the data of entry "), "byte \(offset): \(result)")
            for table in ["big_a", "big_b"] where result.stderr.contains("TABLE DATA \(table))") { damagedTables.append(table) }
        }
        // The first two lie in the two large tables: each message names its table.
        #expect(damagedTables.prefix(2).sorted() == ["big_a", "big_b"], "\(damagedTables)")

        let truncated = try Self.copyWithoutManifest(file, to: folder, day: 5)
        try FileHandle(forWritingTo: URL(fileURLWithPath: truncated)).truncate(atOffset: UInt64(size * 4 / 5))
        let cut = curate(database, ["\\backup verify \(truncated)"])
        #expect(cut.status != 0, "\(cut)")
        #expect(cut.stderr.contains("reading the archive failed"), "\(cut)")
    }

    @Test("a dump damaged as it is written fails the backup and leaves only NAME.failed")
    func damagedWhileDumping() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.addTwoLargeTables(database)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The real pg_dump, then one byte in the middle of its file changed.
        let bin = try Self.fakeBin(["pg_dump": """
            for a in "$@"; do case "$a" in --version) exec \(Self.realBin)/pg_dump --version;; --file=*) f="${a#--file=}";; esac; done
            \(Self.realBin)/pg_dump "$@" || exit $?
            off=$(( $(stat -c %s "$f") / 2 ))
            b=$(od -An -tu1 -j "$off" -N1 "$f" | tr -d ' ')
            printf "\\\\$(printf %o $(( b ^ 255 )))" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
            """])
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let result = curate(database, ["\\backup --dir \(folder)"], environment: ["CURATE_PGBIN": bin])
        try Self.expectFailedBackup(result, saying: "backup failed: reading the archive failed", in: folder)
    }

    @Test("a directory backup's verification read is shared: every entry is read by exactly one pg_restore")
    func sharedRead() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.addTypes(database)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lists = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: lists) }
        // A pg_restore that keeps a copy of each list it is given.
        let bin = try Self.fakeBin(["pg_restore": """
            for a in "$@"; do case "$a" in --use-list=*) cp "${a#--use-list=}" \(lists)/list.$$;; esac; done
            exec \(Self.realBin)/pg_restore "$@"
            """])
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let backup = curate(database, ["\\backup --format directory --dir \(folder)"], environment: ["CURATE_PGBIN": bin])
        #expect(backup.status == 0, "\(backup)")
        let file = folder + "/" + (try #require(try Self.backups(in: folder).first))

        let listing = Process()
        listing.executableURL = URL(fileURLWithPath: Self.realBin + "/pg_restore")
        listing.arguments = ["--list", file]
        let output = Pipe()
        listing.standardOutput = output
        try listing.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        listing.waitUntilExit()
        let all = text.split(separator: "\n").compactMap { TOCEntry.dumpID(ofLine: $0) }
        #expect(all.count > 20)

        let parts = try FileManager.default.contentsOfDirectory(atPath: lists).map { name in
            try String(contentsOfFile: lists + "/" + name, encoding: .utf8).split(separator: "\n").compactMap { TOCEntry.dumpID(ofLine: $0) }
        }
        #expect(parts.count >= 2, "\(parts)")
        #expect(parts.allSatisfy { !$0.isEmpty })
        let read = parts.flatMap { $0 }
        #expect(read.sorted() == all.sorted(), "every entry once: \(parts)")
        // Each part has table data to read.
        let data = Set(TOCEntry.parse(text).filter(\.carriesData).map(\.dumpID))
        #expect(parts.allSatisfy { !data.isDisjoint(with: $0) }, "\(parts)")
    }

    @Test("a flipped byte that pg_restore reads without complaint (-Z0) is caught by the SHA-256")
    func flippedByteInUncompressedDump() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql("CREATE TABLE notes (id int PRIMARY KEY, note text); INSERT INTO notes VALUES (1, 'curate-flip-marker')")
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // curate has no option for it: a pg_dump that always writes uncompressed data.
        let bin = try Self.fakeBin(["pg_dump": "exec \(Self.realBin)/pg_dump \"$@\" --compress=0\n"])
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let backup = curate(database, ["\\backup --dir \(folder)"], environment: ["CURATE_PGBIN": bin])
        #expect(backup.status == 0, "\(backup)")
        let file = folder + "/" + (try #require(try Self.backups(in: folder).first))

        // 'm' of "marker" becomes 'M': still a valid COPY row.
        let contents = try Data(contentsOf: URL(fileURLWithPath: file))
        let marker = try #require(contents.firstRange(of: Data("curate-flip-marker".utf8)), "the row is not stored as text")
        try Self.flipByte(at: marker.lowerBound + "curate-flip-".count, in: file, mask: 0x20)
        let read = try Self.runTool("pg_restore", ["--file=/dev/null", file])
        #expect(read.status == 0, "pg_restore was expected to read the changed dump without complaint: \(read.stderr)")

        let verify = curate(database, ["\\backup verify \(file)"])
        #expect(verify.status != 0, "\(verify)")
        #expect(verify.stderr.contains("FAILED verification: SHA-256 differs from the manifest's"), "\(verify)")
        #expect(verify.stderr.contains("the file changed since it was made"), "\(verify)")
        #expect(!verify.stderr.contains("reading the archive"), "\(verify)")
        let manifest = try #require(try BackupManifest.read(path: file + ".manifest"))
        #expect(manifest.state == .failed)
    }

    @Test("no pg_dump: a clear error naming the package postgresql-client-N of the server's version, and nothing written")
    func missingPgDump() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let empty = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let folder = try Self.temporaryFolder() + "/backups"
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        // CURATE_PGBIN names the one folder to look in.
        let result = curate(database, ["\\backup --dir \(folder)"], environment: ["CURATE_PGBIN": empty])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("pg_dump not found in CURATE_PGBIN=\(empty)"), "\(result)")
        #expect(result.stderr.contains("install postgresql-client-\(TestServer.serverMajorVersion) (apt-get install postgresql-client-\(TestServer.serverMajorVersion);"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test("a pg_dump older than the server: one line saying which to install, the command fails, nothing written")
    func olderPgDump() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder() + "/backups"
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let bin = try Self.fakeBin(["pg_dump": """
            for a in "$@"; do [ "$a" = --version ] && { echo 'pg_dump (PostgreSQL) 12.22'; exit 0; }; done
            exec \(Self.realBin)/pg_dump "$@"
            """])
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let major = try #require(Int(try database.psql("SHOW server_version_num"))) / 10000
        let result = curate(database, ["\\backup --dir \(folder)"], environment: ["CURATE_PGBIN": bin])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("pg_dump 12.22 (\(bin)/pg_dump) is older than the server (PostgreSQL \(major))"), "\(result)")
        #expect(result.stderr.contains("install postgresql-client-\(major)"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: folder), "something was written")
    }
}

extension BackupRestoreIntegrationTests {
    @Test("the findings, looked for while pg_dump runs, are shown and recorded; the session's settings are left as they were")
    func findingsDuringDump() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql("""
            CREATE TABLE parent (id int PRIMARY KEY);
            CREATE TABLE child (id int PRIMARY KEY, parent int REFERENCES parent, v int);
            INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1, 1);
            SET session_replication_role = replica; INSERT INTO child VALUES (2, 99, 1), (3, 98, 1);
            ALTER TABLE child ADD CONSTRAINT v_positive CHECK (v > 0) NOT VALID;
            CREATE INDEX child_v ON child (v);
            UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'child_v'::regclass;
            """)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // In the user's transaction (a savepoint) and outside it: the findings turn parallel
        // query off for themselves only.
        let result = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            SELECT 'before:' || current_setting('max_parallel_workers_per_gather');
            BEGIN;
            SET LOCAL max_parallel_workers_per_gather = 3;
            \\backup --dir \(folder)
            SELECT 'in:' || current_setting('max_parallel_workers_per_gather');
            COMMIT;
            \\backup --dir \(folder)
            SELECT 'after:' || current_setting('max_parallel_workers_per_gather');
            """, timeout: 300)
        #expect(result.status == 0, "\(result)")
        let before = try #require(result.stdout.split(separator: "\n").first { $0.contains("before:") }).split(separator: ":").last.map(String.init)
        #expect(result.stdout.contains("in:3"), "\(result)")
        #expect(result.stdout.contains("after:\(before ?? "?")"), "\(result)")

        let expected = [
            "invalid index public.child_v: pg_dump leaves it out, a restore will not have it",
            "NOT VALID constraint v_positive on child: restored as NOT VALID, existing rows unchecked",
            "foreign key child_parent_fkey on child: 2 orphan rows without a parent in parent; a restore will fail to recreate this key",
        ]
        for finding in expected {
            #expect(result.stderr.components(separatedBy: "NOTE: " + finding).count == 3, "shown once per backup: \(finding)\n\(result)")
        }
        let backups = try Self.backups(in: folder)
        #expect(backups.count == 2)
        for file in backups {
            let manifest = try #require(try BackupManifest.read(path: folder + "/" + file + ".manifest"))
            #expect(manifest.findings == expected, "\(file): \(manifest.findings)")
        }
    }
}
