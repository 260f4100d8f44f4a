import CurateTestSupport
import Foundation
import Testing

/// PostgreSQL-regression-style tests: each `Transcripts/NAME.sql` is fed to curate on standard
/// input in a fresh copy of the sample database; stdout and stderr, interleaved as they were
/// written, plus the exit status, must equal `Transcripts/NAME.out` exactly.
///
/// A transcript of describe output can differ by server version, as psql's does: `NAME.out-N`,
/// when there is one, is the expected output on a server of major version N (`describe.out-18`).
///
/// `CURATE_UPDATE_TRANSCRIPTS=1` rewrites the `.out` files from the current output (review the
/// diff before committing it).
@Suite("Transcripts")
struct TranscriptTests {
    static let folder = CurateBinary.packageRoot.appendingPathComponent("Tests/IntegrationTests/Transcripts")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".sql") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test("transcript matches its expected output", arguments: names)
    func transcript(name: String) throws {
        let input = try String(contentsOf: Self.folder.appendingPathComponent(name + ".sql"), encoding: .utf8)
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(
            in: database,
            arguments: ["-X", "-v", "transcripts=\(Self.folder.path)"],
            stdin: input,
            mode: .combined
        )
        #expect(!result.timedOut, "curate did not finish: \(result)")
        let actual = Self.normalise(result.combined, database: database) + "[exit status \(result.status)]\n"
        let expectedURL = Self.expectedOutput(name)
        if ProcessInfo.processInfo.environment["CURATE_UPDATE_TRANSCRIPTS"] == "1" {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(actual == expected, "transcript \(name) differs:\n\(Self.diff(expected: expected, actual: actual))")
    }

    /// `NAME.out-N` for the server's major version N when it exists, else `NAME.out`.
    static func expectedOutput(_ name: String) -> URL {
        let versioned = folder.appendingPathComponent("\(name).out-\(TestServer.serverMajorVersion)")
        return FileManager.default.fileExists(atPath: versioned.path) ? versioned : folder.appendingPathComponent(name + ".out")
    }

    /// The database's generated name, and the server's source line in `LOCATION:` (it moves between
    /// server versions: `scan.l:1188` on 15).
    static func normalise(_ text: String, database: TestDatabase) -> String {
        text.replacingOccurrences(of: database.name, with: "DBNAME")
            .replacingOccurrences(of: #"(?m)^(LOCATION:  .*\.[a-z]+:)[0-9]+$"#, with: "$1N", options: .regularExpression)
    }

    /// The first differing lines, enough to see what went wrong.
    static func diff(expected: String, actual: String) -> String {
        let e = expected.components(separatedBy: "\n")
        let a = actual.components(separatedBy: "\n")
        for index in 0..<max(e.count, a.count) {
            let left = index < e.count ? e[index] : "<end>"
            let right = index < a.count ? a[index] : "<end>"
            if left != right {
                return "line \(index + 1):\n  expected: \(left)\n  actual:   \(right)\n--- actual output ---\n\(actual)"
            }
        }
        return "(no difference found line by line)"
    }
}
