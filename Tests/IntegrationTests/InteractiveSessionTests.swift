import CurateTestSupport
import Foundation
import Testing

/// curate at a real terminal (a pseudo-terminal): prompt, line editing, Ctrl-C, Ctrl-D, history.
/// A failing wait prints everything the terminal showed.
@Suite("Interactive sessions", .serialized)
struct InteractiveSessionTests {
    @Test("the prompt shows the transaction state: =# idle, =*# open, =!# failed (superuser)")
    func promptFollowsTransaction() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("\(database.name)=# ")
        try terminal.sendLine("begin;")
        try terminal.waitFor("\(database.name)=*# ")
        try terminal.sendLine("\\set ON_ERROR_ROLLBACK off")
        try terminal.waitFor("\(database.name)=*# ")
        try terminal.sendLine("select 1/0;")
        try terminal.waitFor("division by zero")
        try terminal.waitFor("\(database.name)=!# ")
        try terminal.sendLine("rollback;")
        try terminal.waitFor("\(database.name)=# ")
        try terminal.sendLine("select 1 +")
        try terminal.waitFor("\(database.name)-# ")
        try terminal.sendLine("'unfinished")
        try terminal.waitFor("\(database.name)'# ")
    }

    @Test("at the prompt messages carry no location: psql's shape for an unknown command and a server error")
    func promptMessages() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("\(database.name)=# ")
        try terminal.sendLine("\\zzqq")
        let unknown = try terminal.waitFor("\(database.name)=# ")
        #expect(unknown.contains("\ninvalid command \\zzqq\nTry \\? for help.\n"), "\(terminal.transcript)")
        try terminal.sendLine("select 1/0;")
        let failed = try terminal.waitFor("\(database.name)=# ")
        #expect(failed.contains("\nERROR:  division by zero\n"), "\(terminal.transcript)")
        #expect(!terminal.transcript.contains("curate:"), "\(terminal.transcript)")
    }

    @Test("Ctrl-C cancels a running query and the session stays usable, transaction included")
    func controlCCancelsQuery() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("create table kept (n int);")
        try terminal.waitFor("CREATE TABLE")
        try terminal.sendLine("begin;")
        try terminal.sendLine("insert into kept values (1);")
        try terminal.waitFor("INSERT 0 1")
        try terminal.sendLine("select pg_sleep(30);")
        try Poll.until("the query to run", detail: terminal.transcript) {
            try database.backends(of: "curate", waitingOn: "PgSleep") == 1
        }
        try terminal.sendControl("c")
        try terminal.waitFor("canceling statement due to user request", timeout: 5)
        try terminal.waitFor("=*# ")
        try terminal.sendLine("commit;")
        try terminal.waitFor("COMMIT")
        #expect(try database.psql("select count(*) from kept") == "1")
    }

    @Test("Ctrl-C at the prompt discards the line being typed")
    func controlCClearsLine() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.send("select 'should not run'")
        try terminal.sendControl("c")
        try terminal.waitFor("=# ")
        try terminal.sendLine("select 'clean' as state;")
        try terminal.waitFor("(1 row)")
        #expect(!terminal.transcript.contains("should not run\n"))
        #expect(!terminal.transcript.contains("ERROR"))
    }

    @Test("Ctrl-D on an empty line leaves with status 0")
    func controlDExits() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendControlDAtPrompt()
        #expect(try terminal.waitForExit(timeout: 10) == 0)
    }

    @Test("Tab completes a command name")
    func tabCompletesCommandName() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.send("\\timi")
        try terminal.send("\t")
        try terminal.sendLine("")
        try terminal.waitFor("Timing is on.")
    }

    @Test("an error inside an interactive transaction keeps the work done before it")
    func errorKeepsEarlierWork() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("create table work (n int primary key);")
        try terminal.waitFor("CREATE TABLE")
        try terminal.sendLine("begin;")
        try terminal.sendLine("insert into work values (1);")
        try terminal.waitFor("INSERT 0 1")
        try terminal.sendLine("insert into work values (1);")
        try terminal.waitFor("duplicate key value")
        try terminal.waitFor("=*# ")
        try terminal.sendLine("insert into work values (2);")
        try terminal.waitFor("INSERT 0 1")
        try terminal.sendLine("commit;")
        try terminal.waitFor("COMMIT")
        #expect(try database.psql("select string_agg(n::text, ',' order by n) from work") == "1,2")
    }

    @Test("leaving with a transaction open asks; staying is the default; roll back on request")
    func exitWithOpenTransactionAsks() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("create table pending (n int);")
        try terminal.waitFor("CREATE TABLE")
        try terminal.sendLine("begin;")
        try terminal.sendLine("insert into pending values (1);")
        try terminal.waitFor("INSERT 0 1")
        try terminal.sendLine("\\q")
        try terminal.waitFor("[c/r/S]")
        try terminal.sendLine("")
        try terminal.waitFor("=*# ")
        try terminal.sendControlDAtPrompt()
        try terminal.waitFor("[c/r/S]")
        try terminal.sendLine("r")
        try terminal.waitFor("Rolled back.")
        #expect(try terminal.waitForExit(timeout: 10) == 0)
        #expect(try database.psql("select count(*) from pending") == "0")
    }

    @Test("history: ~/.curate_history is created 0600 and a multi-line statement is one entry")
    func historyFile() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("select 'first line',")
        try terminal.waitFor("-# ")
        try terminal.sendLine("'second line';")
        try terminal.waitFor("(1 row)")
        try terminal.sendLine("\\q")
        _ = try terminal.waitForExit(timeout: 10)
        let path = terminal.home.appendingPathComponent(".curate_history").path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let entries = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        // libedit stores each entry on one line, encoding spaces and newlines (strvis).
        #expect(entries.contains { $0.contains("first\\040line") && $0.contains("second\\040line") }, "\(entries)")
    }

    @Test("the history of one session is there in the next (Ctrl-P recalls it)")
    func historyIsShared() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("curate-shared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let first = try PTYSession(arguments: database.curateArguments + ["-X"], environment: ["HOME": home.path])
        defer { first.terminate() }
        try first.waitFor("=# ")
        try first.sendLine("select 'remembered' as word;")
        try first.waitFor("(1 row)")
        try first.waitFor("=# ")
        try first.sendControlDAtPrompt()
        _ = try first.waitForExit(timeout: 10)
        let second = try PTYSession(arguments: database.curateArguments + ["-X"], environment: ["HOME": home.path])
        defer { second.terminate() }
        try second.waitFor("=# ")
        try second.sendControl("p")
        try second.sendLine("")
        try second.waitFor("remembered")
        try second.waitFor("(1 row)")
    }
}
