@testable import BackupPlugin
import CurateTestSupport
import Foundation
import Testing

/// curate's reader of the custom archive format on archives the real pg_dump wrote, and on
/// archives mutilated at every kind of place: it rejects each one `pg_restore -f /dev/null`
/// rejects, and `\backup verify` (the reader and the SHA-256) rejects them all.
extension BackupRestoreIntegrationTests {
    /// A custom archive of `database` written by the real pg_dump with `options`.
    static func pgDump(_ database: TestDatabase, to path: String, _ options: [String] = []) throws {
        let dump = try runTool("pg_dump", ["-Fc", "--file=\(path)"] + options + database.connectionArguments)
        try #require(dump.status == 0, "pg_dump failed: \(dump.stderr)")
    }

    /// The table of contents as `pg_restore --list` prints it.
    static func listing(_ path: String) throws -> [TOCEntry] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: realBin + "/pg_restore")
        process.arguments = ["--list", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return TOCEntry.parse(text)
    }

    /// Two tables of about 1 MB, an empty one and two large objects.
    static func addArchiveContents(_ database: TestDatabase) throws {
        try addTwoLargeTables(database)
        _ = try database.psql("""
            CREATE TABLE empty_one (id int);
            SELECT lo_from_bytea(0, convert_to(repeat('large object ', 5000), 'UTF8'));
            SELECT lo_from_bytea(0, '\\x00ff'::bytea);
            """)
    }

    @Test("the reader reads what pg_dump writes: every entry, every block, the file's SHA-256", arguments: ["gzip", "none"])
    func readerReadsPgDumpArchives(compression: String) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.addArchiveContents(database)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/dump.c"
        try Self.pgDump(database, to: file, compression == "none" ? ["--compress=0"] : [])

        let record = try CustomArchiveRecord.read(file: file)
        // pg_dump 13 to 15 write 1.14, 16 writes 1.15, 17 and 18 write 1.16.
        let major = TestServer.serverMajorVersion
        #expect(record.header.version == (major >= 17 ? "1.16" : major == 16 ? "1.15" : "1.14"))
        #expect(record.header.compression.rawValue == compression)
        #expect(record.header.database == database.name)
        let listed = try Self.listing(file)
        // pg_restore --list leaves out the entries it handles itself (encoding, settings, database).
        let special: Set<String> = ["ENCODING", "STDSTRINGS", "SEARCHPATH", "DATABASE"]
        #expect(record.toc.entries.filter { !special.contains($0.type) }.map(\.dumpID) == listed.map(\.dumpID))
        #expect(record.tableDataEntries == listed.filter { $0.type == "TABLE DATA" }.count)
        let withData = record.toc.entries.filter(\.hasData)
        #expect(withData.contains { $0.type == "BLOBS" })
        #expect(withData.contains { $0.tag == "empty_one" })
        #expect(record.blocks.count == withData.count)
        #expect(record.length == BackupFiles.size(file))
        #expect(record.wholeSHA256 == (try FileDigest.sha256(file: file)))
    }

    @Test("an archive compressed with lz4 (pg_dump 16 and later) is refused with a clear message")
    func lz4Refused() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/dump.c"
        try Self.pgDump(database, to: file)
        // Version 1.14's compression level (a sign byte and 4 bytes at byte 11) becomes version
        // 1.15's algorithm byte: 2, lz4. The rest of a 1.15 archive is laid out as 1.14's. From
        // 1.15 on (pg_dump 16 and later) the algorithm byte is there already.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        try #require(bytes[8] == 4)
        if bytes[6] == 14 {
            bytes[6] = 15
            bytes.replaceSubrange(11..<16, with: [2])
        } else {
            try #require(bytes[6] >= 15)
            bytes[11] = 2
        }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        #expect {
            try CustomArchiveRecord.read(file: file)
        } throws: { error in
            "\(error)".contains("compressed with lz4, which curate cannot read")
        }
    }

    /// One way of damaging a finished archive.
    struct Mutilation: CustomStringConvertible {
        var description: String
        var apply: (inout [UInt8], CustomArchiveRecord) throws -> Void
    }

    static var mutilations: [Mutilation] {
        func largest(_ record: CustomArchiveRecord) -> CustomArchiveBlockReader.Block {
            record.blocks.max { $0.length < $1.length }!
        }
        func dataEntry(_ record: CustomArchiveRecord) -> CustomArchiveTOC.Entry {
            record.toc.entries.first { $0.dumpID == largest(record).dumpID }!
        }
        return [
            Mutilation(description: "header: the magic string") { bytes, _ in bytes[0] = UInt8(ascii: "X") },
            Mutilation(description: "header: the format version") { bytes, _ in bytes[6] = 99 },
            Mutilation(description: "header: the integer size") { bytes, _ in bytes[8] = 40 },
            Mutilation(description: "TOC entry: a data offset flag") { bytes, record in
                bytes[Int(dataEntry(record).offsetFieldPosition)] = 7
            },
            Mutilation(description: "TOC entry: a data offset") { bytes, record in
                bytes[Int(dataEntry(record).offsetFieldPosition) + 1] ^= 0x10
            },
            Mutilation(description: "TOC entry: a string length") { bytes, record in
                // The length of the first entry's tag... found as the 4 bytes before the tag text.
                let entry = record.toc.entries[0]
                let tag = Array(entry.tag.utf8)
                let at = try #require(Self.find(tag, in: bytes, from: 0))
                bytes[at - 4] = 0x7f
            },
            Mutilation(description: "block: a chunk length") { bytes, record in
                // After the block type and the dump ID (sign byte and 4 bytes): the first chunk's length.
                bytes[Int(largest(record).position) + 6 + 2] ^= 0x01
            },
            Mutilation(description: "block: the dump ID") { bytes, record in
                bytes[Int(largest(record).position) + 2] ^= 0x40
            },
            Mutilation(description: "block: a byte of data") { bytes, record in
                let block = largest(record)
                bytes[Int(block.position + block.length / 2)] ^= 0x20
            },
            Mutilation(description: "block: the last byte of the file") { bytes, _ in bytes[bytes.count - 1] ^= 0xff },
            Mutilation(description: "a truncated tail (the last 3 bytes)") { bytes, _ in bytes.removeLast(3) },
            Mutilation(description: "a truncated tail (a fifth of the file)") { bytes, _ in bytes.removeLast(bytes.count / 5) },
            Mutilation(description: "bytes appended") { bytes, _ in bytes.append(contentsOf: [1, 0, 0, 0, 0, 0]) },
            Mutilation(description: "two blocks swapped") { bytes, record in
                let blocks = record.blocks.sorted { $0.position < $1.position }
                let pair = try #require(zip(blocks, blocks.dropFirst()).max { $0.0.length + $0.1.length < $1.0.length + $1.1.length })
                let first = Int(pair.0.position)..<Int(pair.0.position + pair.0.length)
                let second = Int(pair.1.position)..<Int(pair.1.position + pair.1.length)
                let swapped = Array(bytes[second]) + Array(bytes[first])
                bytes.replaceSubrange(first.lowerBound..<second.upperBound, with: swapped)
            },
        ]
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }

    @Test("mutilated backups: curate rejects every one pg_restore rejects, and the ones only the SHA-256 catches", arguments: ["gzip", "none"])
    func mutilatedBackups(compression: String) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.addArchiveContents(database)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A real backup with its manifest; without compression through a pg_dump that adds --compress=0.
        var environment: [String: String] = [:]
        if compression == "none" {
            let bin = try Self.fakeBin(["pg_dump": "exec \(Self.realBin)/pg_dump \"$@\" --compress=0\n"])
            environment["CURATE_PGBIN"] = bin
        }
        defer { if let bin = environment["CURATE_PGBIN"] { try? FileManager.default.removeItem(atPath: bin) } }
        let made = curate(database, ["\\backup --dir \(folder)"], environment: environment)
        try #require(made.status == 0, "\(made)")
        let name = try #require(try Self.backups(in: folder).first)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        let record = try CustomArchiveRecord.read(file: folder + "/" + name)
        #expect(record.header.compression.rawValue == compression)

        var onlyChecksum: [String] = []
        var rejectedByRestore: [String] = []
        for mutilation in Self.mutilations {
            // Each in a folder of its own, under the backup's name, beside a copy of its manifest.
            let place = try Self.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: place) }
            let file = place + "/" + name
            try FileManager.default.copyItem(atPath: folder + "/" + name + ".manifest", toPath: file + ".manifest")
            var bytes = original
            try mutilation.apply(&bytes, record)
            try Data(bytes).write(to: URL(fileURLWithPath: file))

            let restore = try Self.runTool("pg_restore", ["--file=/dev/null", file])
            var readerFailure: String?
            do { _ = try CustomArchiveRecord.read(file: file) } catch { readerFailure = "\(error)" }
            if restore.status != 0 {
                rejectedByRestore.append(mutilation.description)
                #expect(readerFailure != nil, "\(mutilation): pg_restore rejects it (\(restore.stderr)), curate's reader read it")
            } else if readerFailure == nil {
                onlyChecksum.append(mutilation.description)
            }
            let verify = curate(database, ["\\backup verify --dir \(place) \(name)"])
            #expect(verify.status != 0, "\(mutilation): \\backup verify passed it: \(verify)")
            #expect(verify.stderr.contains("FAILED verification"), "\(mutilation): \(verify)")
        }
        #expect(rejectedByRestore.count >= Self.mutilations.count - 4, "\(rejectedByRestore)")
        // Without compression a changed byte of data is still a valid archive: only the SHA-256 sees it.
        if compression == "none" {
            #expect(onlyChecksum.contains("block: a byte of data"), "\(onlyChecksum)")
        } else {
            #expect(onlyChecksum.isEmpty, "\(onlyChecksum)")
        }
    }

    @Test("a pg_dump killed while writing, or after writing a whole archive, never leaves a good-looking backup", arguments: [2, 1])
    func killedDump(fraction: Int) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.addTwoLargeTables(database)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The real pg_dump writes elsewhere; then its archive's first 1/fraction goes into the
        // file curate follows, and the process is killed.
        let bin = try Self.fakeBin(["pg_dump": """
            for a in "$@"; do case "$a" in --version) exec \(Self.realBin)/pg_dump --version;; --file=*) f="${a#--file=}";; esac; done
            \(Self.realBin)/pg_dump "$@" --file="$f.whole" || exit $?
            head -c $(( $(stat -c %s "$f.whole") / \(fraction) )) "$f.whole" > "$f"
            rm -f "$f.whole"
            kill -9 $$
            """])
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let result = curate(database, ["\\backup --dir \(folder)"], environment: ["CURATE_PGBIN": bin])
        try Self.expectFailedBackup(result, saying: "backup failed: pg_dump was killed by signal 9", in: folder)
    }

    @Test("a finished file that cannot be opened for the proof fails the backup: only NAME.failed is left, saying why")
    func proofCannotOpen() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // pg_dump writes a whole archive, which the read follows, then its name is left pointing
        // nowhere: the proof's open of the finished file fails.
        let bin = try Self.fakeBin(["pg_dump": """
            for a in "$@"; do case "$a" in --version) exec \(Self.realBin)/pg_dump --version;; --file=*) f="${a#--file=}";; esac; done
            \(Self.realBin)/pg_dump "$@" || exit $?
            rm -f "$f" && ln -s /nonexistent/dump "$f"
            """])
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let result = curate(database, ["\\backup --dir \(folder)"], environment: ["CURATE_PGBIN": bin])
        try Self.expectFailedBackup(result, saying: "backup failed: cannot open \(folder)/.", in: folder)
    }
}

/// The proof at the end of a backup, on a real archive: the table of contents as first written
/// (offsets not set) against the finished file passes; any change after the read fails.
extension BackupRestoreIntegrationTests {
    @Test("the proof: the first-written table of contents matches the finished file; a change to data, a TOC byte or an offset fails")
    func proofOfFinishedFile() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try Self.addArchiveContents(database)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/dump.c"
        try Self.pgDump(database, to: file)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))

        // What the read sees while pg_dump writes: each data entry's offset field not yet set.
        var streamed = try CustomArchiveRecord.read(file: file)
        for (index, entry) in streamed.toc.entries.enumerated() where entry.hasData {
            let at = Int(entry.offsetFieldPosition)
            streamed.prefix.replaceSubrange(at..<(at + entry.offsetFieldLength), with: [1] + [UInt8](repeating: 0, count: entry.offsetFieldLength - 1))
            streamed.toc.entries[index].dataState = .positionNotSet
        }
        #expect(try CustomArchiveProof.check(file: file, against: streamed, cancelled: { false }) == (try FileDigest.sha256(file: file)))

        func failure(_ change: (inout [UInt8]) -> Void) throws -> String {
            var bytes = original
            change(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            do {
                _ = try CustomArchiveProof.check(file: file, against: streamed, cancelled: { false })
                return "passed"
            } catch {
                return "\(error)"
            }
        }
        let block = streamed.blocks.max { $0.length < $1.length }!
        #expect(try failure { $0[Int(block.position + block.length / 2)] ^= 1 }.contains("data blocks of the finished file differ"))
        let entry = streamed.toc.entries.first { $0.dumpID == block.dumpID }!
        #expect(try failure { $0[Int(entry.offsetFieldPosition) - 1] ^= 1 }.contains("changed after it was read"))
        #expect(try failure { $0[Int(entry.offsetFieldPosition) + 1] ^= 1 }.contains("but its block was read at byte \(block.position)"))
        #expect(try failure { $0[Int(entry.offsetFieldPosition)] = 1 }.contains("was never filled in"))
        #expect(try failure { $0.append(0) }.contains("bytes, but \(original.count) were read"))
    }
}
