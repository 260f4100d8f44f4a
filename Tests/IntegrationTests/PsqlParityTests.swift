import CurateTestSupport
import Foundation
import Testing

/// The differential test against psql 15: every case of `Parity/` runs through the real psql and
/// through curate, each in a fresh database copied from the same template, with the same
/// arguments, standard input and working-folder files; stdout, stderr and the exit status must be
/// equal byte for byte after the normalisation `ParityRun.normalised` allows (the program's name,
/// curate's rollback report, the database name, and per case the values that differ by nature).
///
/// A case listed in `Parity/KNOWN-DIFFERENCES` differs today: it runs inside `withKnownIssue`,
/// so the suite passes and a case whose difference disappeared fails until it is taken off the
/// list. The list is therefore the measured state of psql parity.
@Suite("psql parity")
struct PsqlParityTests {
    /// Cases whose output holds values that differ between any two runs.
    static let normalisations: [String: [ParityNormalisation]] = [
        "timing": [.timing],
        "large-objects": [.largeObjectOID],
        "describe-textsearch": [.echoedOIDs],
        "describe-source": [.echoedOIDs],
        "describe-edit": [.echoedOIDs],
        "describe-replication": [.echoedOIDs],
        "pset-html": [.largeObjectOID],
    ]

    /// Cases that do not compare with psql: psql's behaviour is deliberately not followed.
    static let ownBehaviour: Set<String> = ["nul-byte"]

    static var comparedCases: [String] { ParityCase.names.filter { !ownBehaviour.contains($0) } }

    @Test("curate prints what psql prints", arguments: comparedCases)
    func parity(name: String) throws {
        let parityCase = try ParityCase.load(name)
        let psqlDatabase = try TestDatabase.create()
        defer { psqlDatabase.drop() }
        let curateDatabase = try TestDatabase.create()
        defer { curateDatabase.drop() }
        let extra = Self.normalisations[name] ?? []
        let expected = try ParityRun.run(.psql, parityCase, in: psqlDatabase)
            .normalised(database: psqlDatabase, extra: extra)
        let actual = try ParityRun.run(.curate, parityCase, in: curateDatabase)
            .normalised(database: curateDatabase, extra: extra)

        // The diff alone says what differs (an #expect would print both outputs in full too).
        let compare = {
            if actual != expected {
                Issue.record("\(name) differs from psql:\n\(Self.unifiedDiff(expected, actual))")
            }
        }
        if let cause = ParityCase.knownDifferences()[name] {
            withKnownIssue(Comment(rawValue: "known difference: \(cause)")) { compare() }
        } else {
            compare()
        }
    }

    /// A NUL byte in a script: psql stops reading the line at it and runs a mangled statement;
    /// curate refuses that statement, naming its line, and stops the script there (a documented
    /// difference): what came before has run, nothing after it does.
    @Test("a NUL byte in a script: its statement is refused with the line, and the script stops there")
    func nulByte() throws {
        let parityCase = try ParityCase.load("nul-byte")
        let database = try TestDatabase.create()
        defer { database.drop() }
        let run = try ParityRun.run(.curate, parityCase, in: database)
        #expect(run.status == 3, "curate did not stop at a NUL byte:\n\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("nul-byte.sql:2: error: line 2 contains a NUL byte"), "\(run.stderr)")
        #expect(!run.stdout.contains("nul"), "the statement holding the NUL byte ran:\n\(run.stdout)")
        #expect(!run.stdout.contains("?column?"), "the script went on after the NUL byte:\n\(run.stdout)")
        #expect(try database.psql("select count(*) from pg_class where relname = 'parity_nul'") == "1")
    }

    @Test("every known difference names an existing case")
    func manifestNamesCases() {
        let names = Set(ParityCase.names)
        for name in ParityCase.allKnownDifferences().keys.sorted() {
            #expect(names.contains(name), "KNOWN-DIFFERENCES lists \(name), which is no case of Parity/")
        }
    }

    /// `diff -u` of the two normalised outputs (psql's first), NUL bytes shown as `<NUL>`.
    static func unifiedDiff(_ expected: String, _ actual: String) -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("curate-parity-diff-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let psqlFile = folder.appendingPathComponent("psql")
        let curateFile = folder.appendingPathComponent("curate")
        try? Data(expected.utf8).write(to: psqlFile)
        try? Data(actual.utf8).write(to: curateFile)
        let result = CurateProcess.run(
            arguments: ["-u", "--text", "--label", "psql", "--label", "curate", psqlFile.path, curateFile.path],
            executable: URL(fileURLWithPath: "/usr/bin/diff"))
        // A NUL byte (-z, -0) would cut the message short where it is shown.
        return result.stdout.replacingOccurrences(of: "\u{0}", with: "<NUL>")
    }
}
