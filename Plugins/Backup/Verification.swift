import CurateKit
import Foundation

/// A full read of a backup: for custom and directory archives `pg_restore -f /dev/null` (the
/// table of contents alone passes truncated files), for plain dumps gzip to the end and pg_dump's
/// closing "dump complete" line.
public struct BackupVerification: Sendable {
    public var ok: Bool
    public var failure: String?
    public var tocEntries: Int?
    public var tableDataEntries: Int?

    public static func run(path: String, format: BackupFormat, context: CommandContext) throws -> BackupVerification {
        switch format {
        case .custom, .directory:
            let restore = try ClientProgram(.pgRestore)
            let list = try restore.run(["--list", path], in: context, stdout: .capture, stderr: .capture)
            guard list.succeeded else {
                return BackupVerification(ok: false, failure: "pg_restore --list failed: " + Self.firstError(list.stderrText), tocEntries: nil, tableDataEntries: nil)
            }
            let entries = TOCEntry.parse(list.stdoutText)
            let read = try restore.run(["--file=/dev/null", path], in: context, stdout: .discard, stderr: .capture)
            guard read.succeeded else {
                return BackupVerification(ok: false, failure: "reading the whole archive failed: " + Self.firstError(read.stderrText),
                                          tocEntries: entries.count, tableDataEntries: nil)
            }
            return BackupVerification(ok: true, failure: nil, tocEntries: entries.count,
                                      tableDataEntries: entries.filter { $0.type == "TABLE DATA" }.count)
        case .plain:
            return try verifyPlain(path: path)
        }
    }

    static func firstError(_ text: String) -> String {
        let lines = text.split(separator: "\n").map(String.init)
        return lines.first { $0.contains("error") } ?? lines.first ?? "no message"
    }

    /// gzip -dc to the end (its CRC is checked there), then the closing line.
    static func verifyPlain(path: String) throws -> BackupVerification {
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: Gzip.path)
        gzip.arguments = ["-dc", path]
        let output = Pipe()
        let errors = Pipe()
        gzip.standardOutput = output
        gzip.standardError = errors
        gzip.standardInput = FileHandle.nullDevice
        try gzip.run()
        var tail: [UInt8] = []
        var copies = 0
        let handle = output.fileHandleForReading
        while true {
            let data = handle.readData(ofLength: 1 << 20)
            if data.isEmpty { break }
            tail.append(contentsOf: data.suffix(4096))
            if tail.count > 8192 { tail.removeFirst(tail.count - 4096) }
            let text = String(decoding: data, as: UTF8.self)
            copies += text.components(separatedBy: "\nCOPY ").count - 1
        }
        gzip.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard gzip.terminationStatus == 0 else {
            return BackupVerification(ok: false, failure: "gzip: " + (message.split(separator: "\n").first.map(String.init) ?? "failed"),
                                      tocEntries: nil, tableDataEntries: nil)
        }
        let end = String(decoding: tail, as: UTF8.self)
        guard end.contains("-- PostgreSQL database dump complete") else {
            return BackupVerification(ok: false, failure: "the dump does not end with pg_dump's \"dump complete\" line (truncated)",
                                      tocEntries: nil, tableDataEntries: nil)
        }
        return BackupVerification(ok: true, failure: nil, tocEntries: nil, tableDataEntries: copies)
    }
}

/// gzip, from coreutils' companion package.
enum Gzip {
    static var path: String {
        for candidate in ["/usr/bin/gzip", "/bin/gzip"] where access(candidate, X_OK) == 0 { return candidate }
        return "/usr/bin/gzip"
    }
}

/// One line of `pg_restore --list`: `215; 1259 16390 TABLE public file postgres`.
public struct TOCEntry: Sendable, Equatable {
    public var line: String
    public var dumpID: Int
    /// "TABLE", "TABLE DATA", "INDEX", "FK CONSTRAINT", "SEQUENCE SET", ...
    public var type: String
    /// "-" for objects without one.
    public var schema: String
    /// The tag: "file", "file file_pkey" (table and constraint), "COLUMN file.name" (comments).
    public var tag: String
    public var owner: String

    static let types = [
        "TABLE DATA", "TABLE ATTACH", "TABLE", "FK CONSTRAINT", "CHECK CONSTRAINT", "CONSTRAINT", "SEQUENCE OWNED BY", "SEQUENCE SET",
        "SEQUENCE", "INDEX ATTACH", "INDEX", "DEFAULT ACL", "DEFAULT", "TRIGGER", "COMMENT", "ACL", "POLICY", "ROW SECURITY", "RULE",
        "MATERIALIZED VIEW DATA", "MATERIALIZED VIEW", "VIEW", "SCHEMA", "EXTENSION", "FUNCTION", "PROCEDURE", "AGGREGATE", "TYPE",
        "DOMAIN", "COLLATION", "CONVERSION", "LARGE OBJECT", "BLOB", "BLOBS", "STATISTICS", "EVENT TRIGGER", "PUBLICATION TABLE",
        "PUBLICATION", "SUBSCRIPTION", "OPERATOR CLASS", "OPERATOR FAMILY", "OPERATOR", "CAST", "TEXT SEARCH CONFIGURATION",
        "TEXT SEARCH DICTIONARY", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE", "FOREIGN TABLE", "FOREIGN DATA WRAPPER", "SERVER",
        "USER MAPPING", "ENCODING", "STDSTRINGS", "SEARCHPATH", "DATABASE PROPERTIES", "DATABASE", "SHELL TYPE",
    ]

    /// The entries of a listing (comment lines starting with ';' are skipped).
    public static func parse(_ listing: String) -> [TOCEntry] {
        listing.split(separator: "\n").compactMap { parse(line: String($0)) }
    }

    public static func parse(line: String) -> TOCEntry? {
        guard !line.hasPrefix(";"), let semicolon = line.firstIndex(of: ";"), let id = Int(line[..<semicolon]) else { return nil }
        // After "ID; CATALOG OID ": the type, schema, tag, owner.
        let fields = line[line.index(after: semicolon)...].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard fields.count == 3 else { return nil }
        let rest = String(fields[2])
        guard let type = types.first(where: { rest.hasPrefix($0 + " ") }) else { return nil }
        var words = rest.dropFirst(type.count + 1).split(separator: " ").map(String.init)
        guard words.count >= 2 else { return nil }
        let schema = words.removeFirst()
        let owner = words.count >= 2 ? words.removeLast() : ""
        return TOCEntry(line: line, dumpID: id, type: type, schema: schema, tag: words.joined(separator: " "), owner: owner)
    }
}
