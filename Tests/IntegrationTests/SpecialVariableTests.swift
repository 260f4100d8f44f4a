import CurateTestSupport
import Foundation
import Testing

/// psql's special variables: checked as psql checks them, with psql's effects, side by side
/// with real psql where the output is meant to be the same.
@Suite("psql's special variables")
struct SpecialVariableTests {
    @Test("AUTOCOMMIT off: work stays uncommitted until COMMIT; VACUUM is sent without a BEGIN")
    func autocommitOff() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        try database.psql("create table ac (n int)")
        let rolledBack = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            \\set AUTOCOMMIT off
            insert into ac values (1);
            rollback;
            """)
        #expect(rolledBack.status == 0, "\(rolledBack)")
        #expect(try database.psql("select count(*) from ac") == "0")

        let committed = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            \\set AUTOCOMMIT off
            vacuum ac;
            insert into ac values (1);
            insert into ac values (2);
            commit;
            """)
        #expect(committed.status == 0, "\(committed)")
        #expect(try database.psql("select count(*) from ac") == "2")

        // Never committed: the script's end rolls it back (curate's rule for an open transaction).
        let leftOpen = CurateProcess.run(in: database, arguments: ["-X"], stdin: """
            \\set AUTOCOMMIT off
            insert into ac values (3);
            """)
        #expect(leftOpen.status == 3, "\(leftOpen)")
        #expect(try database.psql("select count(*) from ac") == "2")
    }

    @Test("AUTOCOMMIT off prints what psql prints, exempt statements included")
    func autocommitOffLikePsql() throws {
        try compareWithPsql("""
            \\set AUTOCOMMIT off
            create table ac (n int);
            insert into ac values (1);
            create index concurrently ac_n on ac (n);
            commit;
            create index concurrently ac_n on ac (n);
            drop index concurrently ac_n;
            select count(*) from ac;
            rollback;
            """)
    }

    @Test("ON_ERROR_ROLLBACK on in a script: the failed statement alone is undone")
    func onErrorRollbackOnInScript() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let script = """
            create table r (n int);
            begin;
            insert into r values (1);
            select 1/0;
            insert into r values (2);
            commit;
            """
        let result = CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0", "-v", "ON_ERROR_ROLLBACK=on"], stdin: script)
        #expect(result.status == 0, "\(result)")
        #expect(try database.psql("select string_agg(n::text, ',' order by n) from r") == "1,2")
        try compareWithPsql(script, arguments: ["-v", "ON_ERROR_ROLLBACK=on"])
        // interactive (curate's default) does not apply to a script: the COMMIT rolls back.
        try compareWithPsql(script, arguments: ["-v", "ON_ERROR_ROLLBACK=interactive"])
    }

    @Test("the result variables: ERROR, SQLSTATE, ROW_COUNT, LASTOID, LAST_ERROR_*")
    func resultVariables() throws {
        try compareWithPsql("""
            \\echo :ERROR :SQLSTATE :ROW_COUNT :LASTOID :LAST_ERROR_SQLSTATE ':LAST_ERROR_MESSAGE'
            create table rv (n int);
            \\echo :ERROR :SQLSTATE :ROW_COUNT :LASTOID
            insert into rv select generate_series(1, 3);
            \\echo :ERROR :SQLSTATE :ROW_COUNT :LASTOID
            select * from rv;
            \\echo :ERROR :SQLSTATE :ROW_COUNT :LASTOID
            select * from no_such_table;
            \\echo :ERROR :SQLSTATE :ROW_COUNT :LAST_ERROR_SQLSTATE ':LAST_ERROR_MESSAGE'
            \\zzqq
            \\echo :ERROR
            update rv set n = n + 1 returning n;
            \\echo :ROW_COUNT :LASTOID
            \\echo :ENCODING :DBNAME :USER
            """)
    }

    @Test("\\set ECHO foo and other refused values: psql's words, the variable unchanged")
    func refusedLikePsql() throws {
        try compareWithPsql("""
            \\set ECHO foo
            \\echo :ECHO
            \\set AUTOCOMMIT maybe
            \\echo :AUTOCOMMIT
            \\set FETCH_COUNT many
            \\set VERBOSITY loud
            \\set SHOW_CONTEXT sometimes
            \\set ON_ERROR_ROLLBACK x
            \\set ECHO_HIDDEN x
            \\set COMP_KEYWORD_CASE x
            \\set HISTCONTROL x
            \\set ECHO
            \\set 1x-y 2
            """)
    }

    @Test("\\unset and an empty \\set give psql's substitutes")
    func unsetSubstitutes() throws {
        try compareWithPsql("""
            \\unset AUTOCOMMIT
            \\echo :AUTOCOMMIT
            \\set AUTOCOMMIT
            \\echo :AUTOCOMMIT
            \\unset ECHO
            \\unset VERBOSITY
            \\unset SHOW_CONTEXT
            \\unset FETCH_COUNT
            \\unset ON_ERROR_ROLLBACK
            \\echo :ECHO :VERBOSITY :SHOW_CONTEXT :FETCH_COUNT :ON_ERROR_ROLLBACK
            \\set ON_ERROR_ROLLBACK
            \\set QUIET
            \\echo :ON_ERROR_ROLLBACK :QUIET
            \\unset QUIET
            \\unset PROMPT3
            \\echo :PROMPT3
            \\set anything 1
            \\unset anything
            \\echo :anything
            """)
    }

    @Test("a variable curate does not implement is refused: a script stops with status 3, -v with status 1")
    func unimplementedRefused() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let inScript = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\set HISTSIZE 100", "-c", "select 1"])
        #expect(inScript.status == 3, "\(inScript)")
        #expect(inScript.stderr == "curate does not implement HISTSIZE = '100': the history keeps the last 2000 entries\n", "\(inScript)")
        #expect(!inScript.stdout.contains("1 row"))

        let option = CurateProcess.run(in: database, arguments: ["-X", "-v", "HISTSIZE=100", "-c", "select 1"])
        #expect(option.status == 1, "\(option)")
        #expect(option.stderr == "curate: error: curate does not implement HISTSIZE = '100': the history keeps the last 2000 entries\n")

        let invalid = CurateProcess.run(in: database, arguments: ["-X", "-v", "ECHO=foo", "-c", "select 1"])
        let psql = PsqlProcess.run(in: database, arguments: ["-X", "-v", "ECHO=foo", "-c", "select 1"])
        #expect(invalid.status == psql.status)
        #expect(invalid.stderr == psql.combined.replacingOccurrences(of: "psql: error:", with: "curate: error:"), "\(invalid)")
    }

    @Test("\\set alone lists psql's variables with curate's values")
    func listing() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-c", "\\set"])
        #expect(result.status == 0, "\(result)")
        let lines = Set(result.stdout.split(separator: "\n").map(String.init))
        for expected in [
            "AUTOCOMMIT = 'on'", "COMP_KEYWORD_CASE = 'preserve-upper'", "ECHO = 'none'", "ECHO_HIDDEN = 'off'",
            "FETCH_COUNT = '0'", "HIDE_TABLEAM = 'off'", "HISTCONTROL = 'none'", "LAST_ERROR_MESSAGE = ''",
            "LAST_ERROR_SQLSTATE = '00000'", "ON_ERROR_ROLLBACK = 'interactive'", "ON_ERROR_STOP = 'on'",
            "SHOW_ALL_RESULTS = 'on'", "SHOW_CONTEXT = 'errors'", "VERBOSITY = 'default'", "VERSION_NUM = '150000'",
            "ENCODING = 'UTF8'", "DBNAME = '\(database.name)'", "PORT = '\(database.port)'",
        ] {
            #expect(lines.contains(expected), "missing \(expected) in\n\(result.stdout)")
        }
    }

    @Test("FETCH_COUNT: output in batches, as psql prints it", arguments: ["aligned", "unaligned", "csv"])
    func fetchCount(format: String) throws {
        try compareWithPsql("""
            \\pset format \(format)
            \\set FETCH_COUNT 3
            select n, repeat('x', n) as s from generate_series(1, 8) n;
            select n from generate_series(1, 6) n;
            values (1), (22), (333), (4444);
            with q as (select generate_series(1, 5) as n) select repeat('y', n) from q;
            select n from generate_series(1, 2) n where false;
            \\x on
            select n, repeat('x', n) as s from generate_series(1, 4) n;
            """)
    }

    // MARK: Helpers

    /// The script through psql and curate (each in a fresh database, ON_ERROR_STOP off): the
    /// same output and status, `psql:` reading `curate:`.
    private func compareWithPsql(_ script: String, arguments: [String] = []) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curate-variables-\(UUID().uuidString).sql")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let options = ["-X", "-v", "ON_ERROR_STOP=0"] + arguments + ["-f", file.path]
        let first = try TestDatabase.create()
        defer { first.drop() }
        let psql = PsqlProcess.run(in: first, arguments: options)
        let second = try TestDatabase.create()
        defer { second.drop() }
        let curate = CurateProcess.run(in: second, arguments: options, mode: .combined)
        let expected = PsqlMessageParityTests.normalise(psql.combined).replacingOccurrences(of: first.name, with: "DB")
        let actual = curate.combined.replacingOccurrences(of: second.name, with: "DB")
        #expect(curate.status == psql.status, "\(curate)")
        #expect(actual == expected, "psql:\n\(expected)\ncurate:\n\(actual)")
    }
}
