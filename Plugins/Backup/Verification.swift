import CurateKit
import Foundation

/// A full read of a finished backup and its SHA-256, computed at the same time: for custom
/// archives curate's own reader (`CustomArchiveRecord`: every block inflated with its check,
/// every offset pointing to its block); for directory archives `pg_restore -f /dev/null` (the
/// table of contents alone, `--list`, passes truncated files), shared among several processes
/// (`ReadPlan`); for plain dumps gzip to the end and pg_dump's closing "dump complete" line.
/// A new custom backup is verified while pg_dump writes it instead (`CustomArchiveFollower`).
public struct BackupVerification: Sendable {
    public var ok: Bool
    public var failure: String?
    public var tocEntries: Int?
    public var tableDataEntries: Int?
    /// Of the file, or for a directory backup of its sorted "HASH  NAME" lines (`BackupFiles.sha256`).
    public var sha256: String

    /// How many pg_restore processes read an archive at once: one per core, at least two (so the
    /// shared read is always the one tested), at most four.
    static var parallelReads: Int { min(max(ProcessInfo.processInfo.activeProcessorCount, 2), 4) }

    /// Reads the backup at `path` to the end. `tables` (sizes in the database it came from, when
    /// known) only helps to share a custom archive's read evenly.
    static func run(path: String, format: BackupFormat, tables: DatabaseTables?, context: CommandContext) throws -> BackupVerification {
        // A custom archive is read by curate itself (`CustomArchiveRecord`), hashing as it goes.
        if format == .custom { return try verifyCustom(path: path, context: context) }
        let checksum = try BackupChecksum(path: path)
        var verification: BackupVerification
        switch format {
        case .plain:
            verification = try verifyPlain(path: path) { context.isCancelled }
        case .custom, .directory:
            let read = try ArchiveRead(path: path, tables: tables, context: context)
            // Collected before the read's end: if curate computes it itself, it overlaps the read.
            let digest = try checksum.wait { context.isCancelled }
            verification = read.finish { context.isCancelled }
            verification.sha256 = digest
            return verification
        }
        verification.sha256 = try checksum.wait { context.isCancelled }
        return verification
    }

    /// A custom archive read to the end by `CustomArchiveRecord`: every block, inflated with its
    /// check, and every offset pointing to its block; the SHA-256 computed on the way.
    static func verifyCustom(path: String, context: CommandContext) throws -> BackupVerification {
        do {
            let record = try CustomArchiveRecord.read(file: path) { context.isCancelled }
            return BackupVerification(ok: true, failure: nil, tocEntries: record.toc.entries.count,
                                      tableDataEntries: record.tableDataEntries, sha256: record.wholeSHA256 ?? "")
        } catch let error as CustomArchiveError {
            // The SHA-256 of a damaged archive still says whether the file changed since it was made.
            return BackupVerification(ok: false, failure: "reading the archive failed: \(error.description)", tocEntries: nil,
                                      tableDataEntries: nil, sha256: try FileDigest.sha256(file: path) { context.isCancelled })
        }
    }

    static func failed(_ failure: String, tocEntries: Int? = nil) -> BackupVerification {
        BackupVerification(ok: false, failure: failure, tocEntries: tocEntries, tableDataEntries: nil, sha256: "")
    }

    static func firstError(_ text: String) -> String {
        let lines = text.split(separator: "\n").map(String.init)
        return lines.first { $0.contains("error") } ?? lines.first ?? "no message"
    }

    /// gzip -dc to the end (its CRC is checked there), then the closing line. The decompressed
    /// dump is read block by block as it streams: only its last few kilobytes are kept.
    static func verifyPlain(path: String, cancelled: () -> Bool) throws -> BackupVerification {
        var tail: [UInt8] = []
        var copies = 0
        let gzip = try ChildProcess.run("gzip", ["-dc", path], stdout: .bytes { block in
            tail.append(contentsOf: block.suffix(4096))
            if tail.count > 8192 { tail.removeFirst(tail.count - 4096) }
            copies += String(decoding: block, as: UTF8.self).components(separatedBy: "\nCOPY ").count - 1
        }, stderr: .capture, cancelled: cancelled)
        if gzip.cancelled { throw CommandCancelled() }
        guard gzip.succeeded else {
            return failed("gzip: " + (gzip.stderrText.split(separator: "\n").first.map(String.init) ?? "failed"))
        }
        let end = String(decoding: tail, as: UTF8.self)
        guard end.contains("-- PostgreSQL database dump complete") else {
            return failed("the dump does not end with pg_dump's \"dump complete\" line (truncated)")
        }
        return BackupVerification(ok: true, failure: nil, tocEntries: nil, tableDataEntries: copies, sha256: "")
    }
}

/// The read of a custom or directory archive: `pg_restore --list`, then one
/// `pg_restore -f /dev/null -L PART` per part of the `ReadPlan`, all running at once.
struct ArchiveRead {
    private let scratch: ScratchFolder
    private let readers: [ChildProcess]
    private let entries: [TOCEntry]
    private let listFailure: String?

    /// Lists the archive and starts the readers.
    init(path: String, tables: DatabaseTables?, context: CommandContext) throws {
        scratch = try ScratchFolder()
        let restore = try ClientProgram(.pgRestore, for: context.session)
        let list = try restore.run(["--list", path], in: context, stdout: .capture, stderr: .capture)
        guard list.succeeded else {
            listFailure = "pg_restore --list failed: " + BackupVerification.firstError(list.stderrText)
            entries = []
            readers = []
            return
        }
        listFailure = nil
        entries = TOCEntry.parse(list.stdoutText)
        let weight = Self.weights(path: path, tables: tables)
        let plan = ReadPlan(listing: list.stdoutText, count: BackupVerification.parallelReads, weight: weight)
        var readers: [ChildProcess] = []
        for (index, part) in plan.parts.enumerated() {
            let listFile = scratch.file("part\(index).list")
            try scratch.save(part.joined(separator: "\n") + "\n", as: "part\(index).list")
            // -w as ClientProgram passes it to every client program: never a password prompt.
            readers.append(try ChildProcess(restore.path, ["-w", "--file=/dev/null", "--use-list=\(listFile)", path],
                                            stderr: .file(scratch.file("part\(index).err"))))
        }
        // An archive without entries still has its header read.
        if readers.isEmpty {
            readers.append(try ChildProcess(restore.path, ["-w", "--file=/dev/null", path], stderr: .file(scratch.file("part0.err"))))
        }
        self.readers = readers
    }

    /// Waits for every reader; the first failure is the verification's.
    func finish(cancelled: () -> Bool) -> BackupVerification {
        if let listFailure { return .failed(listFailure) }
        var failure: String?
        for (index, reader) in readers.enumerated() {
            let ended = reader.wait(cancelled: cancelled)
            guard failure == nil, !ended.succeeded else { continue }
            let part = readers.count > 1 ? " (part \(index + 1) of \(readers.count))" : ""
            failure = ended.cancelled ? "cancelled"
                : "reading the archive to the end failed\(part): " + BackupVerification.firstError(scratch.text(of: "part\(index).err"))
        }
        if let failure { return .failed(failure, tocEntries: entries.count) }
        return BackupVerification(ok: true, failure: nil, tocEntries: entries.count,
                                  tableDataEntries: entries.filter { $0.type == "TABLE DATA" }.count, sha256: "")
    }

    /// How much data each entry holds: in a directory archive the size of its data file
    /// (`ID.dat.gz`), in a custom archive its table's size in the database.
    static func weights(path: String, tables: DatabaseTables?) -> (TOCEntry) -> Int64 {
        guard BackupFiles.isDirectory(path) else {
            let tables = tables ?? DatabaseTables()
            return { tables.weight(of: $0) }
        }
        var sizes: [Int: Int64] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            if let id = name.split(separator: ".").first.flatMap({ Int($0) }) { sizes[id, default: 0] += BackupFiles.size(path + "/" + name) }
        }
        return { entry in entry.carriesData ? 1 + (sizes[entry.dumpID] ?? 0) : 0 }
    }
}
