import CurateTestSupport
import Foundation
import Testing

/// The host's capability gate on the built-in plugins: a command that writes is refused up front in
/// a `--read-only` session, and one that cannot run in a transaction block is refused while one is
/// open, each with the reason and what to do; forms of the same command that only read still run.
@Suite("Capabilities: the host refuses what a command cannot do here, before it runs")
struct CapabilityTests {
    static let readOnlyRefusal = "refused: it writes to the database and this session is read-only"
    static let readOnlyHint = "HINT:  \\set READONLY off leaves read-only mode (it asks first), or start curate without --read-only"

    /// curate in `database`, read-only, one command.
    private func readOnly(_ database: TestDatabase, _ command: String, _ extra: [String] = []) -> CurateResult {
        CurateProcess.run(in: database, arguments: ["-X", "--read-only"] + extra + ["-c", command])
    }

    @Test("--read-only: \\fix NAME --dry-run is refused up front (a preview writes, then rolls back)")
    func fixDryRunRefused() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = readOnly(database, "\\fix duplicate-canonical --dry-run")
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("\\fix: \(Self.readOnlyRefusal)"), "\(result)")
        #expect(result.stderr.contains(Self.readOnlyHint), "\(result)")
        // Up front: no preview was printed, and not even the audit schema was looked for.
        #expect(result.stdout.isEmpty, "\(result)")
    }

    @Test("--read-only: \\restore FILE is refused up front; \\restore FILE --list is not (it only reads)")
    func restoreRefused() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let missing = "/nonexistent/fitsdata_2024-06-30T120000Z.pg_dump_c"
        let result = readOnly(database, "\\restore \(missing)")
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("\\restore: \(Self.readOnlyRefusal)"), "\(result)")
        #expect(result.stderr.contains(Self.readOnlyHint), "\(result)")
        // The gate spoke before the command looked for the file.
        #expect(!result.stderr.contains("no such backup"), "\(result)")

        let list = readOnly(database, "\\restore \(missing) --list")
        #expect(list.status == 3, "\(list)")
        #expect(!list.stderr.contains(Self.readOnlyRefusal), "\(list)")
        #expect(list.stderr.contains("no such backup"), "the listing ran (and found no file)\n\(list)")
    }

    @Test("--read-only: \\fix (the list), \\fix history and \\check only read, and run")
    func readingFormsRun() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let list = readOnly(database, "\\fix")
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("duplicate-canonical"), "\(list)")
        #expect(list.stderr.isEmpty, "\(list)")

        let history = readOnly(database, "\\fix history")
        #expect(history.status == 0, "\(history)")
        #expect(!history.stderr.contains(Self.readOnlyRefusal), "\(history)")
        #expect(history.combined.contains("No audit records"), "\(history)")

        let check = readOnly(database, "\\check duplicate-canonical", ["--csv"])
        #expect(check.status == 0, "\(check)")
        #expect(!check.stderr.contains(Self.readOnlyRefusal), "\(check)")
        #expect(check.stdout.contains("N20240629S0004.fits"), "the check found the seeded duplicates\n\(check)")
        // Nothing was written by any of them.
        #expect(try database.psql("SELECT to_regnamespace('curate') IS NULL") == "t")
    }

    @Test("in an open transaction \\fix harden is refused up front; the transaction stays open and usable")
    func hardenRefusedInsideTransaction() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let indexesBefore = try database.psql("SELECT count(*) FROM pg_indexes WHERE tablename = 'diskfile'")
        // ON_ERROR_STOP off, so the script goes on after the refusal as a person at the prompt would.
        let result = CurateProcess.run(in: database, arguments: ["-X", "--csv", "-v", "ON_ERROR_STOP=0"], stdin: """
            BEGIN;
            INSERT INTO file (name) VALUES ('capability-test.fits');
            \\fix harden duplicate-canonical --yes
            SELECT count(*) AS still_in_transaction FROM file WHERE name = 'capability-test.fits';
            COMMIT;
            """)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("\\fix: refused: it cannot run inside a transaction block, and a transaction is open"), "\(result)")
        #expect(result.stderr.contains("HINT:  end the transaction first: COMMIT to keep its changes, or ROLLBACK"), "\(result)")
        #expect(result.stdout.contains("still_in_transaction\n1\n"), "\(result)")
        #expect(result.stdout.contains("COMMIT"), "\(result)")
        // The transaction was neither failed nor ended by the refusal: its insert was committed.
        #expect(try database.psql("SELECT count(*) FROM file WHERE name = 'capability-test.fits'") == "1")
        // And the refused command did nothing.
        #expect(try database.psql("SELECT count(*) FROM pg_indexes WHERE tablename = 'diskfile'") == indexesBefore)
        #expect(try database.psql("SELECT to_regnamespace('curate') IS NULL") == "t")
    }

    @Test("at a terminal the refusal leaves the prompt in the transaction (=*#), and COMMIT then works")
    func hardenRefusedAtTheTerminal() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], cols: 160)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("BEGIN;")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("INSERT INTO file (name) VALUES ('capability-test.fits');")
        try terminal.waitFor("INSERT 0 1")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("\\fix harden duplicate-canonical")
        try terminal.waitFor("cannot run inside a transaction block")
        try terminal.waitFor("=*# ")  // still open, not failed (=!#)
        try terminal.sendLine("COMMIT;")
        try terminal.waitFor("COMMIT")
        try terminal.waitFor("=# ")
        #expect(try database.psql("SELECT count(*) FROM file WHERE name = 'capability-test.fits'") == "1")
        try terminal.sendControlDAtPrompt()
        #expect(try terminal.waitForExit() == 0)
    }
}
