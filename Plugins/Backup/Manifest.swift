import CurateKit
import Foundation

/// The small JSON file written beside each backup (`NAME.manifest`, mode 0600).
public struct BackupManifest: Codable, Sendable, Equatable {
    public var file: String
    public var database: String
    public var format: BackupFormat
    public var created: String
    /// "verified" or "failed" (`VerificationState`).
    public var state: VerificationState
    public var verifiedAt: String?
    /// What failed, when `state` is failed.
    public var failure: String?
    public var sizeBytes: Int64
    /// Of the file; for the directory format, of the lines "SHA256  NAME" of its files, sorted.
    public var sha256: String
    /// Entries in the table of contents, and how many of them hold table data.
    public var tocEntries: Int?
    public var tableDataEntries: Int?
    public var pgDumpVersion: String
    public var serverVersion: String
    public var durationSeconds: Double
    public var excludedTables: [String]
    /// `--exclude-table-data` patterns: the tables are in the backup, their rows are not. Absent
    /// in manifests written before the option existed.
    public var excludedTableData: [String]?
    public var dataOnly: Bool
    /// Findings that change what a restore brings back (invalid indexes, FK orphans, NOT VALID constraints).
    public var findings: [String]
    public var globalsFile: String?

    /// What the backup left out, said before a restore starts; nil when it left out nothing.
    public var exclusionNote: String? {
        var parts: [String] = []
        if !excludedTables.isEmpty {
            parts.append("tables matching " + excludedTables.joined(separator: ", ") + " (--exclude-table: neither definition nor rows)")
        }
        if let patterns = excludedTableData, !patterns.isEmpty {
            parts.append("the rows of tables matching " + patterns.joined(separator: ", ") + " (--exclude-table-data: the tables are restored empty)")
        }
        guard !parts.isEmpty else { return nil }
        return "\(file) was made without " + parts.joined(separator: " and ")
    }

    /// The manifest at `path`, nil when there is none. One that exists but cannot be read or
    /// decoded is an error, never "no manifest": it may be the record of a failed verification.
    public static func read(path: String) throws(Unreadable) -> BackupManifest? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Unreadable(path: path, reason: "the file cannot be read")
        }
        do {
            return try JSONDecoder().decode(BackupManifest.self, from: data)
        } catch {
            throw Unreadable(path: path, reason: Self.reason(error))
        }
    }

    /// A manifest file that exists but is not a manifest curate can read.
    public struct Unreadable: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String {
            "the manifest \((path as NSString).lastPathComponent) is corrupt: \(reason)"
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "the field \"\(key.stringValue)\" is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "the field \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has a wrong value"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not valid JSON"
                : "the field \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has a wrong value"
        default: return "\(error)"
        }
    }

    /// Writes through a temporary name and a rename, mode 0600.
    public func write(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        try BackupFiles.writePrivate(data, to: path)
    }
}

/// File helpers shared by backup and restore.
public enum BackupFiles {
    /// The backup folder: `--dir`, else `\set BACKUP_DIR`, else `$CURATE_BACKUP_DIR`, else
    /// `$XDG_DATA_HOME/curate/backups` (`~/.local/share/curate/backups`).
    public static func directory(option: String?, context: CommandContext) -> String {
        directory(option: option, variables: context.variables)
    }

    public static func directory(option: String?, variables: Variables) -> String {
        if let option, !option.isEmpty { return expand(option) }
        if let value = variables["BACKUP_DIR"], !value.isEmpty { return expand(value) }
        let environment = ProcessInfo.processInfo.environment
        if let value = environment["CURATE_BACKUP_DIR"], !value.isEmpty { return expand(value) }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (home + "/.local/share")
        return data + "/curate/backups"
    }

    /// `$HOME` as the user set it (the shell's meaning of `~`), else the account's home folder.
    public static var home: String {
        ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    public static func expand(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }

    /// Makes sure the backup folder can take a backup before pg_dump starts: created (0700,
    /// with its parents) when missing; refused, naming the folder and the problem, when it is
    /// not a folder or this user cannot create files in it.
    public static func ensureDirectory(_ path: String) throws {
        let hint = "choose another folder with --dir or \\set BACKUP_DIR"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CommandError("the backup folder \(path) is not a folder", hint: hint) }
        } else {
            var made = path.hasPrefix("/") ? "" : "."
            for component in path.split(separator: "/") {
                made += "/" + component
                if mkdir(made, 0o700) != 0 && errno != EEXIST {
                    throw CommandError("cannot create the backup folder \(path): \(made): \(String(cString: strerror(errno)))", hint: hint)
                }
            }
        }
        // Tried rather than asked: access(2) answers for the real user and knows no read-only mounts.
        let probe = path + "/.curate-write-test-\(getpid())"
        let descriptor = open(probe, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw CommandError("the backup folder \(path) is not writable: \(reason)", hint: "make it writable for user \(OperatingSystemUser.name ?? "uid \(geteuid())"), or " + hint)
        }
        close(descriptor)
        unlink(probe)
    }

    /// Makes the folder's entries durable: a rename inside it (a backup's `.partial` to its name,
    /// a manifest's temporary name to its own) survives a power loss only once the folder is
    /// synced, and a backup left under its partial name would be pruned as incomplete.
    public static func syncFolder(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path: path, operation: "open") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileError(path: path, operation: "sync") }
    }

    /// Writes `data` to `path` with mode 0600, through a temporary name and a rename.
    public static func writePrivate(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileError(path: temporary, operation: "create") }
        fchmod(descriptor, 0o600)
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
        guard written == data.count else {
            unlink(temporary)
            throw FileError(path: temporary, operation: "write")
        }
        guard rename(temporary, path) == 0 else {
            let error = FileError(path: path, operation: "rename to")
            unlink(temporary)
            throw error
        }
    }

    /// Removes a file or a folder with its contents.
    /// Creates `path` empty (0600) if it does not exist: a marker that needs no room for data,
    /// for when the disk is too full for anything more. Says whether the file is there.
    public static func createEmptyPrivate(_ path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    public static func remove(_ path: String) throws {
        try FileManager.default.removeItem(atPath: path)
    }

    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Size of a file, or of all files in a folder.
    public static func size(_ path: String) -> Int64 {
        if isDirectory(path) {
            let names = (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []
            return names.reduce(0) { $0 + size(path + "/" + $1) }
        }
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    public static func mode(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_mode & 0o777) : -1
    }

    /// The SHA-256 of a backup: of the file, or for a folder of its sorted "HASH  NAME" lines.
    public static func sha256(_ path: String) throws -> String {
        try BackupChecksum(path: path).wait()
    }

    /// "1.2 MB".
    public static func humanSize(_ bytes: Int64) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f", value) + " " + units[unit]
    }

    /// A path given to `\backup verify` or `\restore`: as is when it exists, else in the backup folder.
    public static func resolve(_ file: String, directory: String) -> String {
        let expanded = expand(file)
        if FileManager.default.fileExists(atPath: expanded) || expanded.contains("/") { return expanded }
        return directory + "/" + expanded
    }

    /// The local time as ISO text for manifests.
    public static func nowText() -> String { BackupTimestamp.now().description }
}
