import CurateTestSupport
import Foundation
import Testing

/// Pager, spinner, read-only mode, \watch and \e at a real terminal.
@Suite("Interactive features", .serialized)
struct InteractiveFeatureTests {
    /// A pager that marks every line, so the test can see what went through it.
    static let markingPager = ["PAGER": "sed 's/^/PAGED|/'"]

    @Test("a result longer than the screen goes through $PAGER; a short one does not")
    func pagerForLongResults() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], rows: 24, cols: 80, environment: Self.markingPager)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("select 'short' as s;")
        try terminal.waitFor("(1 row)")
        try terminal.waitFor("=# ")
        #expect(!terminal.transcript.contains("PAGED|"))
        try terminal.sendLine("select n from generate_series(1, 100) n;")
        try terminal.waitFor("PAGED|(100 rows)")
        try terminal.waitFor("=# ")
    }

    @Test("output sent to a file (\\o) never goes through the pager")
    func noPagerWhenRedirected() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curate-out-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], rows: 24, cols: 80, environment: Self.markingPager)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\o \(file.path)")
        try terminal.sendLine("select n from generate_series(1, 100) n;")
        try terminal.sendLine("\\o")
        try terminal.sendLine("\\echo all done")
        try terminal.waitFor("\\echo all done")  // the typed line, echoed by the terminal
        try terminal.waitFor("all done")  // curate's output
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(written.contains("(100 rows)"))
        #expect(!written.contains("PAGED|"))
        #expect(!terminal.transcript.contains("PAGED|"))
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("output redirected to a file by the shell never goes through the pager")
    func noPagerWhenStdoutRedirected() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curate-redirect-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        let command = ([CurateBinary.path] + database.curateArguments + ["-X", "-c", "'select n from generate_series(1, 100) n'"])
            .joined(separator: " ") + " > \(file.path)"
        let terminal = try PTYSession(arguments: ["-c", command], environment: Self.markingPager, executable: URL(fileURLWithPath: "/bin/sh"))
        defer { terminal.terminate() }
        #expect(try terminal.waitForExit(timeout: 30) == 0)
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(written.contains("(100 rows)"))
        #expect(!written.contains("PAGED|"))
    }

    @Test("\\pset pager off prints long results directly")
    func pagerOff() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], rows: 24, cols: 80, environment: Self.markingPager)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\pset pager off")
        try terminal.waitFor("Pager usage is off.")
        try terminal.sendLine("select n from generate_series(1, 100) n;")
        try terminal.waitFor("(100 rows)")
        #expect(!terminal.transcript.contains("PAGED|"))
    }

    @Test("a statement running longer than a second shows an elapsed-time spinner")
    func spinner() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("select pg_sleep(2) as slept;")
        try terminal.waitFor("running for 1.")
        try terminal.waitFor("(1 row)")
    }

    @Test("--read-only: the prompt shows it, writes get PostgreSQL's error, \\set READONLY off asks first")
    func readOnly() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "--read-only"])
        defer { terminal.terminate() }
        try terminal.waitFor("[ro]=# ")
        try terminal.sendLine("delete from header;")
        try terminal.waitFor("cannot execute DELETE in a read-only transaction")
        try terminal.sendLine("\\set READONLY off")
        try terminal.waitFor("Leave read-only mode?")
        try terminal.sendLine("n")
        try terminal.waitFor("the session stays read-only")
        try terminal.waitFor("[ro]=# ")
        try terminal.sendLine("\\set READONLY off")
        try terminal.waitFor("Leave read-only mode?")
        try terminal.sendLine("y")
        try terminal.sendLine("create table now_allowed (n int);")
        try terminal.waitFor("CREATE TABLE")
        #expect(try database.psql("select count(*) > 0 from header") == "t")
    }

    @Test("colour at a terminal: headers bold, NULL dimmed, errors red; none with NO_COLOR or \\set COLOR off")
    func colour() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("select null as empty;")
        try terminal.waitFor("(1 row)")
        try terminal.sendLine("select nosuch;")
        try terminal.waitFor("does not exist")
        try terminal.waitFor("=# ")
        let raw = terminal.rawTranscript
        #expect(raw.contains("\u{1B}[1mempty\u{1B}[0m"))
        #expect(raw.contains("\u{1B}[2mNULL\u{1B}[0m"))
        #expect(raw.contains("\u{1B}[31mERROR:"))
        try terminal.sendLine("\\set COLOR off")
        try terminal.sendLine("select null as plain;")
        try terminal.waitFor("(1 row)")
        #expect(!terminal.rawTranscript.contains("\u{1B}[1mplain"))

        let plain = try PTYSession(arguments: database.curateArguments + ["-X"], cols: 200, environment: ["NO_COLOR": "1"])
        defer { plain.terminate() }
        try plain.waitFor("=# ")
        try plain.sendLine("select null as empty;")
        try plain.waitFor("(1 row)")
        #expect(!plain.rawTranscript.contains("\u{1B}[1m"))
        #expect(!plain.rawTranscript.contains("NULL"))
    }

    @Test("\\watch reruns the last statement until Ctrl-C")
    func watch() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("select 'tick' as t;")
        try terminal.waitFor("(1 row)")
        try terminal.sendLine("\\watch 0.2")
        try terminal.waitFor("(every 0.2s)")
        try terminal.waitFor("(every 0.2s)")
        try terminal.waitFor("(every 0.2s)")
        try terminal.sendControl("c")
        try terminal.waitFor("=# ")
        try terminal.sendLine("select 'after' as a;")
        try terminal.waitFor("after")
    }

    @Test("\\e edits the buffer in $EDITOR and runs what was saved")
    func edit() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("curate-editor-\(UUID().uuidString).sh")
        try "#!/bin/sh\nsed -i 's/original/edited/' \"$1\"\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
        defer { try? FileManager.default.removeItem(at: script) }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], environment: ["EDITOR": script.path])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("select 'original' as word")
        try terminal.waitFor("-# ")
        try terminal.sendLine("\\e")
        try terminal.waitFor("select 'edited' as word")
        try terminal.sendLine(";")
        try terminal.waitFor(" edited")
        try terminal.waitFor("(1 row)")
    }
}
