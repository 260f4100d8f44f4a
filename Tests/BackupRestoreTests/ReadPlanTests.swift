import CurateKit
@testable import BackupPlugin
import Foundation
import Testing

@Suite("Verification read shared among processes")
struct ReadPlanTests {
    /// A listing as `pg_restore --list` prints it: header comments, then entries.
    static let listing = """
        ;
        ; Archive created at 2026-11-25 22:36:16 UTC
        ;     TOC Entries: 12
        ;
        219; 1259 16397 TABLE public diskfile postgres
        217; 1259 16386 TABLE public file postgres
        3382; 0 16397 TABLE DATA public diskfile postgres
        3380; 0 16386 TABLE DATA public file postgres
        3384; 0 16417 TABLE DATA public header postgres
        3386; 0 16432 TABLE DATA public ingestqueue postgres
        3397; 0 0 SEQUENCE SET public diskfile_id_seq postgres
        3228; 2606 16404 CONSTRAINT public diskfile diskfile_pkey postgres
        3235; 2606 16461 FK CONSTRAINT public diskfile diskfile_file_id_fkey postgres
        4000; 0 0 SOMETHING NEW IN A LATER PG_DUMP public x postgres
        ;3999; 0 0 TABLE DATA public commented_out postgres
        """

    static let sizes: [String: Int64] = ["public.diskfile": 100, "public.header": 60, "public.file": 50, "public.ingestqueue": 10]

    static func ids(_ lines: [String]) -> [Int] { lines.compactMap { TOCEntry.dumpID(ofLine: $0) } }

    @Test("every entry is in exactly one part, comments in none, an unknown entry type still in one")
    func partition() {
        let tables = DatabaseTables(sizes: Self.sizes, withRows: 4)
        for count in 1...6 {
            let plan = ReadPlan(listing: Self.listing, count: count, weight: tables.weight(of:))
            let all = plan.parts.flatMap(Self.ids)
            #expect(all.sorted() == [217, 219, 3228, 3235, 3380, 3382, 3384, 3386, 3397, 4000], "\(count) parts")
            #expect(Set(all).count == all.count, "\(count) parts: an entry in two parts")
            #expect(plan.parts.count == min(count, 10))
            #expect(plan.parts.allSatisfy { !$0.isEmpty })
        }
    }

    @Test("the data is dealt largest first to the lightest part; each part keeps the listing's order")
    func balance() {
        let tables = DatabaseTables(sizes: Self.sizes, withRows: 4)
        let plan = ReadPlan(listing: Self.listing, count: 2, weight: tables.weight(of:))
        let dataParts = plan.parts.map { part in part.compactMap(TOCEntry.parse(line:)).filter(\.carriesData).map(\.tag) }
        // diskfile (100) + ingestqueue (10) against header (60) + file (50).
        #expect(Set(dataParts.map(Set.init)) == [["diskfile", "ingestqueue"], ["header", "file"]])
        for part in plan.parts {
            let ids = Self.ids(part)
            let positions = ids.map { id in Self.listing.split(separator: "\n").firstIndex { TOCEntry.dumpID(ofLine: $0) == id }! }
            #expect(positions == positions.sorted())
        }
    }

    @Test("without sizes, tables are still spread over the parts")
    func withoutSizes() {
        let plan = ReadPlan(listing: Self.listing, count: 2, weight: DatabaseTables().weight(of:))
        let dataCounts = plan.parts.map { $0.compactMap(TOCEntry.parse(line:)).filter(\.carriesData).count }
        #expect(dataCounts == [2, 2])
    }

    @Test("an empty listing has no parts")
    func empty() {
        #expect(ReadPlan(listing: ";\n; nothing\n", count: 2, weight: { _ in 1 }).parts.isEmpty)
    }
}

@Suite("Backup checksum")
struct BackupChecksumTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a file's checksum is its SHA-256; a folder's is the SHA-256 of its files' sorted \"HASH  NAME\" lines; sha256sum agrees")
    func fileAndFolder() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data((0..<300_001).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: folder + "/toc.dat"))
        try Data("abc".utf8).write(to: URL(fileURLWithPath: folder + "/3380.dat.gz"))
        let file = folder + "/toc.dat"
        let own = try BackupChecksum(path: file).wait()
        #expect(try own == FileDigest.sha256(file: file))
        let ownFolder = try BackupChecksum(path: folder).wait()
        let lines = "\(FileDigest.sha256(Array("abc".utf8)))  3380.dat.gz\n\(own)  toc.dat\n"
        #expect(ownFolder == FileDigest.sha256(Array(lines.utf8)))
        #expect(try BackupFiles.sha256(folder) == ownFolder)
        // coreutils as the oracle.
        let sha256sum = Process()
        sha256sum.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sha256sum.arguments = ["sha256sum", file]
        let output = Pipe()
        sha256sum.standardOutput = output
        try sha256sum.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sha256sum.waitUntilExit()
        #expect(printed.prefix(64) == own)
    }

    @Test("a file that cannot be read is reported, not hashed as empty")
    func unreadable() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)").path
        let checksum = try BackupChecksum(path: missing)
        #expect(throws: FileError.self) { try checksum.wait() }
    }

    @Test("cancelled while waiting: the hashing stops and the wait throws CommandCancelled")
    func cancelled() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/dump"
        try Data(count: 64 << 20).write(to: URL(fileURLWithPath: file))
        let checksum = try BackupChecksum(path: file)
        #expect(throws: CommandCancelled.self) { try checksum.wait(cancelled: { true }) }
    }
}
