import CurateKit
import Foundation
import Testing
@testable import RestorePlugin

/// A plain backup read through `gzip -dc` (found on PATH, run like every other child).
@Suite("Plain dump decompression")
struct PlainDumpTests {
    static func file(_ bytes: Data) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(UUID().uuidString).sql.gz").path
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func lines(_ path: String) throws -> [String] {
        let collected = CollectedLines()
        try PlainDump.forEachLine(path) { collected.append($0) }
        return collected.lines
    }

    @Test("a gzip file is read line by line")
    func readsGzip() throws {
        let plain = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(UUID().uuidString).sql").path
        try Data("-- Name: t; Type: TABLE\n".utf8).write(to: URL(fileURLWithPath: plain))
        defer { try? FileManager.default.removeItem(atPath: plain + ".gz") }
        let gzip = try ChildProcess.run("gzip", [plain])
        #expect(gzip.succeeded, "\(gzip.stderrText)")
        #expect(try Self.lines(plain + ".gz") == ["-- Name: t; Type: TABLE"])
    }

    @Test("a file gzip cannot read is reported with gzip's reason, not taken as an empty dump")
    func reportsGzipFailure() throws {
        let path = try Self.file(Data("not gzip at all".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try Self.lines(path)
        } throws: { error in
            (error as? CommandError)?.message.hasPrefix("gzip -dc \(path) failed: gzip:") == true
        }
    }
}

/// Lines handed out by the reader (called on the reading thread only).
private final class CollectedLines: @unchecked Sendable {
    var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}
