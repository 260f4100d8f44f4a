import CurateKit
import Foundation

/// The SHA-256 of a backup, started before the verification read and collected after it, so
/// that the two overlap. For a directory backup it is the SHA-256 of its files' sorted
/// "HASH  NAME" lines.
///
/// A program computes it when one is installed: `openssl` uses the CPU's SHA instructions where
/// it has them (0.07 s for an 87 MB dump on the benchmark machine), coreutils' `sha256sum` does
/// not (0.25 s). curate's own implementation (`SHA256`) is the last resort, also when a program
/// fails or its output cannot be read; then `fallbackReason` says why, for the user to be told.
final class BackupChecksum {
    /// A checksum program and its arguments before the file names; each prints "HEX *NAME" per file.
    struct Program: Sendable {
        var path: String
        var arguments: [String]
    }

    static let programs = [
        Program(path: "/usr/bin/openssl", arguments: ["dgst", "-sha256", "-r"]),
        Program(path: "/usr/bin/sha256sum", arguments: ["--binary"]),
    ]

    /// The first installed program.
    static var installedProgram: Program? { programs.first { access($0.path, X_OK) == 0 } }

    private let isFolder: Bool
    /// The file, or the folder's files sorted by name.
    private let files: [String]
    private let names: [String]
    private let scratch: ScratchFolder
    private var child: ChildProcess?
    private let program: Program?
    /// Why curate computed the SHA-256 itself although a program was chosen (nil: the program
    /// gave it, or none was installed).
    private(set) var fallbackReason: String?

    /// Starts the checksum program on `path` (a file or a directory backup).
    init(path: String, program: Program? = BackupChecksum.installedProgram) throws {
        isFolder = BackupFiles.isDirectory(path)
        names = isFolder ? try FileManager.default.contentsOfDirectory(atPath: path).sorted() : [path]
        // A name beginning with '-' must not be read as an option.
        let safePath = path.hasPrefix("/") ? path : "./" + path
        files = isFolder ? names.map { safePath + "/" + $0 } : [safePath]
        scratch = try ScratchFolder()
        self.program = files.isEmpty ? nil : program
        if let program, !files.isEmpty {
            do {
                child = try ChildProcess(program.path, program.arguments + files, stdout: scratch.file("sums"))
            } catch {
                fallbackReason = "the checksum program \(program.path) could not be started (\(error))"
            }
        }
    }

    /// The hex digest, once the program has finished (or computed here when it could not run).
    func wait(cancelled: () -> Bool = { false }) throws -> String {
        var sums: [String]?
        if let child, let program {
            let ended = child.wait(cancelled: cancelled)
            if ended.cancelled { throw CommandCancelled() }
            if !ended.succeeded {
                let how = ended.signal.map { "was ended by signal \($0)" } ?? "exited with status \(ended.status)"
                fallbackReason = "the checksum program \(program.path) \(how)"
            } else {
                sums = Self.digests(in: scratch.text(of: "sums"), count: files.count)
                if sums == nil { fallbackReason = "the checksum program \(program.path) printed no SHA-256 for every file" }
            }
        }
        let hashes = try sums ?? files.map { try SHA256.hash(file: $0) }
        guard isFolder else { return hashes[0] }
        return SHA256.hash(Array(zip(hashes, names).map { "\($0)  \($1)\n" }.joined().utf8))
    }

    /// The digests at the start of each "HEX *NAME" line, or nil unless there are `count` of them.
    static func digests(in output: String, count: Int) -> [String]? {
        let digests = output.split(separator: "\n").map { String($0.prefix(64)) }
        let hex = Set("0123456789abcdef")
        guard digests.count == count, digests.allSatisfy({ $0.count == 64 && $0.allSatisfy(hex.contains) }) else { return nil }
        return digests
    }
}
