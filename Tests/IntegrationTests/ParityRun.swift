import CurateTestSupport
import Foundation

/// One program's run of a parity case, in a working folder of its own, and what it printed after
/// the normalisation parity allows.
struct ParityRun {
    enum Program: String { case psql, curate }

    let program: Program
    let stdout: String
    let stderr: String
    let status: Int32
    let timedOut: Bool

    /// The same environment for both programs: the test runner's without libpq variables, a
    /// private HOME, a UTF-8 locale (psql derives client_encoding from it), and one variable for
    /// the `\getenv` cases.
    static let environment = [
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "PARITY_GREETING": "hello from the environment",
    ]

    /// Runs `program` on `parityCase` in `database`, inside a fresh copy of `Parity/files` holding
    /// the case's script (so both programs see the same relative paths).
    static func run(_ program: Program, _ parityCase: ParityCase, in database: TestDatabase) throws -> ParityRun {
        let workFolder = FileManager.default.temporaryDirectory
            .appendingPathComponent("curate-parity-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.copyItem(at: ParityCase.filesFolder, to: workFolder)
        defer { try? FileManager.default.removeItem(at: workFolder) }
        if let script = parityCase.script {
            try script.write(to: workFolder.appendingPathComponent(parityCase.name + ".sql"))
        }
        let executable = program == .curate ? CurateBinary.path
            : parityCase.showsDescribeOutput ? TestServer.serverPsqlPath : TestServer.psqlPath
        // env -C: the working folder, without a shell in between.
        let arguments = ["-C", workFolder.path, executable] + database.connectionArguments + parityCase.arguments
        let result = CurateProcess.run(
            arguments: arguments,
            stdin: parityCase.stdin ?? Data(),
            environment: environment,
            executable: URL(fileURLWithPath: "/usr/bin/env"))
        return ParityRun(
            program: program,
            stdout: result.stdout.replacingOccurrences(of: workFolder.path, with: "WORKDIR"),
            stderr: result.stderr.replacingOccurrences(of: workFolder.path, with: "WORKDIR"),
            status: result.status,
            timedOut: result.timedOut)
    }

    /// curate's one-line report of a transaction it rolled back at the end of a script (safety
    /// decision 2, which also makes the exit status 3).
    static let rollbackReports = [
        "curate: the input ended with a transaction still open; it was rolled back, nothing of it was committed.",
        "curate: the script failed; its transaction (-1) was rolled back, nothing was committed.",
    ]

    /// What parity compares: stdout, stderr and the exit status, after the only normalisations
    /// allowed: psql's program name at the start of a message becomes `curate:` (safety decision
    /// 5), curate's rollback report (decision 2) is dropped with its exit status 3, the database's
    /// generated name and the values that differ by nature (`extra`) are replaced.
    func normalised(database: TestDatabase, extra: [ParityNormalisation]) -> String {
        var out = stdout
        var err = stderr
        var exitStatus = status
        switch program {
        case .psql:
            out = Self.renameProgram(out)
            err = Self.renameProgram(err)
        case .curate:
            var lines = err.components(separatedBy: "\n")
            if let index = lines.lastIndex(where: { Self.rollbackReports.contains($0) }) {
                lines.remove(at: index)
                if exitStatus == 3 { exitStatus = 0 }
            }
            err = lines.joined(separator: "\n")
        }
        var text = "--- stdout ---\n\(out)\n--- stderr ---\n\(err)\n--- exit status \(exitStatus)\(timedOut ? " (killed by the watchdog)" : "") ---\n"
        text = text.replacingOccurrences(of: database.name, with: "DBNAME")
        for normalisation in extra { text = normalisation.apply(text) }
        return text
    }

    /// `psql:` → `curate:` where a line starts with the program's name.
    static func renameProgram(_ text: String) -> String {
        text.components(separatedBy: "\n")
            .map { $0.hasPrefix("psql:") ? "curate:" + $0.dropFirst(5) : $0 }
            .joined(separator: "\n")
    }
}

/// Values that differ between any two runs, replaced for the cases that print them.
enum ParityNormalisation: Sendable {
    /// `Time: 0.123 ms` (`\timing`): the value only.
    case timing
    /// The OID `\lo_import` gave (OIDs are counted per cluster, so the two runs get different
    /// ones): every occurrence of it.
    case largeObjectOID
    /// The OIDs describe commands write into the queries ECHO_HIDDEN shows (`\dF+`, `\sf`):
    /// objects created in each run get different ones.
    case echoedOIDs

    func apply(_ text: String) -> String {
        switch self {
        case .timing:
            return text.replacing(/Time: [0-9]+\.[0-9]+ ms( \([^)]*\))?/) { _ in "Time: N ms" }
        case .largeObjectOID:
            var result = text
            for match in text.matches(of: /lo_import ([0-9]+)/) {
                result = result.replacingOccurrences(of: String(match.1), with: "OID")
            }
            return result
        case .echoedOIDs:
            return text.replacing(/'[0-9]{4,}'/) { _ in "'OID'" }
                .replacing(/\.oid = [0-9]{4,}/) { _ in ".oid = OID" }
                .replacing(/pg_get_functiondef\([0-9]{4,}\)/) { _ in "pg_get_functiondef(OID)" }
        }
    }
}
