import CurateTestSupport
import Foundation
import Testing

/// `\if`/`\elif`/`\else`/`\endif` and the commands that send the query buffer (`\g` with options
/// and targets, `\gx`, `\gset`, `\gexec`, `\gdesc`), compared with the real psql byte for byte:
/// stdout, and stderr with only psql's `psql:` turned into `curate:`.
@Suite("Conditionals and the query-buffer commands, side by side with psql")
struct ConditionalAndQueryBufferTests {
    struct Pair {
        let psql: CurateResult
        let curate: CurateResult
    }

    /// Runs `script` as `-f FILE` (or piped, with `piped`) through psql and curate, each in a
    /// fresh database, with `arguments` before it. `{DIR}` in the script is a private folder, a
    /// different one for each program (for `\g FILE`), returned too.
    private func sideBySide(_ script: String, arguments: [String] = ["-X", "-v", "ON_ERROR_STOP=0"], piped: Bool = false) throws -> (Pair, psqlDir: URL, curateDir: URL) {
        let psqlDir = try Self.folder()
        let curateDir = try Self.folder()
        // One script file for both (its name is in the messages), written for each in turn.
        let scriptFolder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: scriptFolder) }
        let file = scriptFolder.appendingPathComponent("script.sql")
        let psql = try runOne(script.replacingOccurrences(of: "{DIR}", with: psqlDir.path), file: file, arguments: arguments, piped: piped,
                              executable: URL(fileURLWithPath: TestServer.psqlPath))
        let curate = try runOne(script.replacingOccurrences(of: "{DIR}", with: curateDir.path), file: file, arguments: arguments, piped: piped, executable: nil)
        return (Pair(psql: psql, curate: curate), psqlDir, curateDir)
    }

    private func runOne(_ script: String, file: URL, arguments: [String], piped: Bool, executable: URL?) throws -> CurateResult {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        if piped {
            return CurateProcess.run(arguments: database.curateArguments + arguments, stdin: script, executable: executable)
        }
        try script.write(to: file, atomically: true, encoding: .utf8)
        return CurateProcess.run(arguments: database.curateArguments + arguments + ["-f", file.path], executable: executable)
    }

    private static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-cond-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// psql's messages with psql's name turned into curate's, nothing else.
    private static func renamed(_ stderr: String) -> String {
        stderr.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("psql:") ? "curate:" + $0.dropFirst(5) : String($0) }
            .joined(separator: "\n")
    }

    private func expectSame(_ pair: Pair, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(pair.curate.stdout == pair.psql.stdout, sourceLocation: sourceLocation)
        #expect(pair.curate.stderr == Self.renamed(pair.psql.stderr), sourceLocation: sourceLocation)
        #expect(pair.curate.status == pair.psql.status, "\(pair.curate)", sourceLocation: sourceLocation)
    }

    // MARK: \if

    static let nestedBlocks = #"""
        \set v 1
        \if :{?v}
        \echo v is set
        \endif
        \if :{?w}
        \echo w
        \elif :v
        \echo elif :v
        \if false
        \echo no
        \elif on
        \echo nested elif
        \else
        \echo no else
        \endif
        \else
        \echo outer else
        \endif
        select 1 as one
        \if true
        , 2 as two
        \else
        , 3 as three
        \endif
        ;
        select 10 as ten
        \if false
        , 20 as twenty;
        \elif yes
        , 30 as thirty
        \else
        , 40 as forty
        \endif
        ;
        \if 'true' \echo same line \\ select 7 as seven;
        \endif \echo after endif
        select :{?v} as v_set, :{?nope} as nope_set;
        \if OFF
        \elif T
        \echo T is true
        \endif
        \if 0
        \else
        \echo 0 is false
        \endif
        """#

    @Test("nested \\if/\\elif/\\else blocks, :{?var}, the query buffer across branches, commands after \\if on one line")
    func nestedBlocksAsPsql() throws {
        let (pair, _, _) = try sideBySide(Self.nestedBlocks)
        expectSame(pair)
        #expect(pair.curate.stdout.contains("nested elif"))
        #expect(pair.curate.stdout.contains("T is true"))
    }

    @Test("`command` in \\if and \\gset arguments runs as in psql (one final newline dropped), not in a branch not taken")
    func backquotesAsPsql() throws {
        let script = #"""
            \if `echo true`
            \echo from a command
            \endif
            \if `printf 't\n\n'`
            \endif
            \if `echo on; echo to stderr >&2`
            \echo on
            \endif
            select 1 as a \gset `echo pre_`
            \echo :pre_a
            \if false
            \if `echo never run >&2; echo true`
            \endif
            \endif
            """#
        let (pair, _, _) = try sideBySide(script)
        expectSame(pair)
        #expect(pair.curate.stdout == "from a command\non\n1\n")
        #expect(!pair.curate.stderr.contains("never run"))
    }

    @Test("psql's errors: \\elif, \\else and \\endif without \\if, \\else after \\else, a value that is not a boolean, an unclosed block at the end")
    func branchErrorsAsPsql() throws {
        let script = #"""
            \elif true
            \else
            \endif
            \if x
            \echo not shown
            \else
            \echo else of a bad if
            \endif
            \if true
            \else
            \else
            \elif true
            \endif
            \if
            \endif
            \if on off
            \endif
            \set x 'a b'
            \if :x
            \endif
            \if "tr"ue
            \endif
            \if false
            \elif bogus
            \else
            \echo else after a bad elif
            \endif
            \if true
            \endif extra 'two words'
            \if true
            \echo unclosed
            """#
        let (pair, _, _) = try sideBySide(script)
        expectSame(pair)
        #expect(pair.curate.stderr.contains(#"script.sql:31: error: reached EOF without finding closing \endif(s)"#))
        #expect(pair.curate.stderr.contains(#"script.sql:4: error: unrecognized value "x" for "\if expression": Boolean expected"#))
        #expect(pair.curate.stderr.contains(#"script.sql:29: warning: \endif: extra argument "two words" ignored"#))
    }

    @Test("a branch not taken: SQL not sent, nothing interpolated, commands passed over with their arguments, unknown commands still errors")
    func inactiveBranchAsPsql() throws {
        let script = #"""
            create table t (n int);
            \if false
            insert into t values (1);
            insert into t values (:undefined);
            \set x :y
            \echo not printed \endif
            \echo printed after the endif on the same line
            \if false
            \copy t from stdin \endif
            \q
            \i /nonexistent
            \gset
            \if true
            \echo inner block of a branch not taken
            \endif
            \endif
            \echo :{?x}
            select count(*) from t;
            select 1
            \if false
            , 2;
            select 3;
            \endif
            ;
            """#
        let (pair, _, _) = try sideBySide(script)
        expectSame(pair)
        #expect(pair.curate.stdout.contains("FALSE"))
    }

    @Test("a plugin command in a branch not taken is passed over to the end of its line, its own quoting left alone")
    func pluginCommandInBranchNotTaken() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let script = "\\if false\n\\fix some-check --where \"a\\\" \\\"b\" --commit --yes\n\\endif\n\\echo after\n"
        let run = CurateProcess.run(in: database, arguments: ["-X"], stdin: script)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == "after\n")
        #expect(run.stderr.isEmpty)
    }

    @Test("an unknown command in a branch not taken is still an error (as psql)")
    func unknownCommandInBranchNotTaken() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let run = CurateProcess.run(in: database, arguments: ["-X"], stdin: "\\if false\n\\nosuchcommand\n\\endif\n\\echo after\n")
        #expect(run.status == 3)
        // Piped standard input: psql's message carries no location and no "error:".
        #expect(run.stderr == "invalid command \\nosuchcommand\n")
        #expect(!run.stdout.contains("after"))
    }

    @Test("an \\i file has its own blocks: one left open there is an error at its end, and \\endif outside does not close it")
    func includedFileOwnsItsBlocks() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let included = folder.appendingPathComponent("inner.sql")
        try "\\echo in inner\n\\if true\n\\echo inner block\n".write(to: included, atomically: true, encoding: .utf8)
        let script = "\\if true\n\\i \(included.path)\n\\echo back\n\\endif\n\\endif\n\\echo end\n"
        let (tolerant, _, _) = try sideBySide(script)
        expectSame(tolerant)
        #expect(tolerant.curate.stderr.contains("inner.sql:3: error: reached EOF without finding closing \\endif(s)"))
        // With ON_ERROR_STOP (curate's default), the script stops after the \i, as psql's does.
        let (stopping, _, _) = try sideBySide(script, arguments: ["-X", "-v", "ON_ERROR_STOP=1"])
        expectSame(stopping)
        #expect(stopping.curate.status == 3)
        #expect(!stopping.curate.stdout.contains("back"))
    }

    @Test("an unclosed block in a script stops it with status 3 under ON_ERROR_STOP, a statement without ; in a branch not taken is not sent")
    func unclosedBlockStops() throws {
        let (taken, _, _) = try sideBySide("\\if true\nselect 1 as sent\n", arguments: ["-X", "-v", "ON_ERROR_STOP=1"])
        expectSame(taken)
        let (notTaken, _, _) = try sideBySide("\\if false\nselect 1 as not_sent\n", arguments: ["-X", "-v", "ON_ERROR_STOP=1"])
        expectSame(notTaken)
        #expect(notTaken.curate.status == 3)
        #expect(!notTaken.curate.stdout.contains("not_sent"))
    }

    @Test("each -c string has blocks of its own, never checked at its end (as psql)")
    func commandStringsHaveTheirOwnBlocks() throws {
        let (pair, _, _) = try sideBySide("", arguments: ["-X", "-c", "\\if false", "-c", "\\echo runs", "-c", "select 1 as one"], piped: true)
        expectSame(pair)
        #expect(pair.curate.stdout.hasPrefix("runs\n"))
    }

    @Test("a value that is not a boolean stops a curate script (ON_ERROR_STOP, on by default), where psql carries on")
    func badExpressionStopsScript() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let run = CurateProcess.run(in: database, arguments: ["-X"], stdin: "\\if maybe\n\\echo then\n\\else\n\\echo otherwise\n\\endif\n")
        #expect(run.status == 3)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(#"unrecognized value "maybe" for "\if expression": Boolean expected"#))
    }

    @Test("piped standard input: the same output, and the same messages (psql names no place for them there)")
    func pipedInput() throws {
        let (pair, _, _) = try sideBySide(Self.nestedBlocks + "\n\\endif\n\\if nope\n\\endif\n", piped: true)
        #expect(pair.curate.stdout == pair.psql.stdout)
        #expect(pair.curate.status == pair.psql.status)
        // Only the messages' wording is compared: how curate places a message from standard
        // input is the shell's general message format, not this feature's.
        let messages = pair.curate.stderr.split(separator: "\n").map { line in
            line.replacing(#/^curate:<stdin>:\d+: (error|warning): /#, with: "")
        }
        #expect(messages == pair.psql.stderr.split(separator: "\n").map { Substring($0) })
    }

    // MARK: \gset, \gexec, \gdesc

    @Test("\\gset: one row into variables (prefix, NULL unsets), psql's errors for no row, several rows, bad names, psql's own variables")
    func gsetAsPsql() throws {
        let script = #"""
            select 1 as a, 'x' as b \gset
            \echo :a :b
            select 2 as a, null as b \gset p_
            \echo :p_a :p_b :b
            \set b keep
            select 3 as a, null as b \gset
            \echo :a :b
            select 1 as a where false \gset
            select 1 as a from generate_series(1, 2) \gset
            select 1 as "QUIET", 2 as "ECHO", 3 as ok \gset
            \echo :ok
            select 1 as "bad name", 2 as ok2 \gset
            \echo :ok2
            create table t (a int) \gset
            insert into t values (1) returning a as ret \gset
            \echo :ret
            select 1 as a \gset pre fix
            select 'é' as "é" \gset
            \echo :é
            \gset
            \echo :a
            """#
        let (pair, _, _) = try sideBySide(script)
        expectSame(pair)
        #expect(pair.curate.stdout.hasPrefix("1 x\n2 :p_b x\n3 :b\n"))
    }

    @Test("\\gexec: each value run as a statement in order, NULLs passed over, errors reported and the rest run")
    func gexecAsPsql() throws {
        let script = #"""
            select 'select 1 as a' \gexec
            select $$select 1 as x$$, null, $$select 2 as y$$
            union all select $$create table q (a int)$$, $$selec$$, $$insert into q values (1)$$ \gexec
            select format('insert into q values (%s)', n) from generate_series(2, 4) n \gexec
            select count(*) from q;
            create table w (a int) \gexec
            """#
        let (pair, _, _) = try sideBySide(script)
        expectSame(pair)
        #expect(pair.curate.stdout.contains(" count \n-------\n     4\n"))
    }

    @Test("\\gdesc: the columns' names and types without running the query; \\g afterwards runs it")
    func gdescAsPsql() throws {
        let script = #"""
            \gdesc
            select 1 as a, 2::numeric(5,2) as "b c", null::varchar(7), now() as t \gdesc
            create table z (a int) \gdesc
            \gdesc
            select 1 as a \gdesc
            \g
            select 1/0 as never_run \gdesc
            selec \gdesc
            """#
        let (pair, _, _) = try sideBySide(script)
        expectSame(pair)
        #expect(pair.curate.stdout.contains("character varying(7)"))
        #expect(pair.curate.stdout.contains("The command has no result, or the result has no columns."))
    }

    // MARK: \g and \gx

    @Test("\\g (option=value ...) for one query, \\gx, \\g FILE, \\g |command, \\g alone sends the previous query")
    func goOptionsAndTargets() throws {
        let script = #"""
            select 1 as a, null as b \g (format=csv null=NUL tuples_only)
            select 1 as a, null as b;
            select 2 as a \gx
            select 3 as c \gx (format=unaligned)
            \g
            select 4 as d \g (expanded) \echo after
            select 5 as e \g {DIR}/out.txt
            select 6 as f \gx (format=csv) {DIR}/outx.txt
            select 7 as g \g |cat -n
            select 8 as h \gx |tr a-z A-Z
            select 9 as i \g (format=csv
            select 10 as j \g (format
            \r
            select 11 as k \g /nonexistent/folder/x
            \g
            select * from no_such_table \g /nonexistent/folder/x
            select 12 \g
            """#
        let (pair, psqlDir, curateDir) = try sideBySide(script)
        defer {
            try? FileManager.default.removeItem(at: psqlDir)
            try? FileManager.default.removeItem(at: curateDir)
        }
        expectSame(pair)
        for file in ["out.txt", "outx.txt"] {
            let expected = try String(contentsOf: psqlDir.appendingPathComponent(file), encoding: .utf8)
            #expect(try String(contentsOf: curateDir.appendingPathComponent(file), encoding: .utf8) == expected)
        }
        #expect(pair.curate.stderr.contains(#"error: \g: missing right parenthesis"#))
    }

    // MARK: \crosstabview

    @Test("\\crosstabview: headers in order of appearance or by a sort column, columns by number or name, NULLs, every error of psql's")
    func crosstabviewAsPsql() throws {
        let script = #"""
            create table s (v text, h text, d int, srt int, e text);
            insert into s values ('r1','c1',1,2,'x'),('r1','c2',2,1,'y'),('r2','c1',3,2,null),('r3','c3',4,3,'z'),(null,'c2',5,1,'w'),('r2',null,6,0,'q');
            select v, h, d from s \crosstabview
            select v, h, d from s order by v \crosstabview
            select v, h, d, srt from s \crosstabview v h d srt
            select * from s \crosstabview
            select * from s \crosstabview 1 2 3
            select * from s \crosstabview V h e
            select v as "V", h as "v", d from s \crosstabview v 2 3
            select v as "V", h as "v", d from s \crosstabview "V" 2 3
            select * from s \crosstabview 9
            select * from s \crosstabview x
            select v, h from s \crosstabview
            select 1, 1, 1 union all select 1, 1, 2 \crosstabview
            select null::int, 1, 1 union all select null, 1, 2 \crosstabview
            select v, v, d from s \crosstabview v 2 3
            select 1 as a, 2 as b, 3 as c \crosstabview a b c d e
            create table z () \crosstabview
            select v, h, d from s where false \crosstabview
            \pset null NUL
            select v, h, e from s \crosstabview
            select d, h, v from s \crosstabview
            select v, h, d, srt from s \crosstabview v h d h
            \x
            select v, h, d from s \crosstabview
            \x
            \pset format csv
            select v, h, d from s \crosstabview
            \pset format aligned
            insert into s values ('r9', 'c9', 9, 9, 'n') returning v, h, d \crosstabview
            select x as a, x as b, x as c from generate_series(1, 1601) x \crosstabview
            """#
        let (pair, _, _) = try sideBySide(script)
        expectSame(pair)
        #expect(pair.curate.stdout.contains(" v  |   | c2 | c1 | c3 \n"))
        #expect(pair.curate.stderr.contains(#"error: \crosstabview: maximum number of columns (1600) exceeded"#))
    }

    // MARK: At the terminal

    @Test("at the terminal: %R is @ in a branch not taken, what is passed over is said, Ctrl-C leaves the innermost block")
    func promptInBranchNotTaken() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X", "-v", "PROMPT1=%R%# ", "-v", "PROMPT2=%R%# "])
        defer { terminal.terminate() }
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\if false")
        try terminal.waitFor("@# ")
        try terminal.sendLine("\\echo hidden")
        try terminal.waitFor("\\echo command ignored; use \\endif or Ctrl-C to exit current \\if block")
        try terminal.sendLine("select 1;")
        try terminal.waitFor("query ignored; use \\endif or Ctrl-C to exit current \\if block")
        // The ignored statement stays in the buffer until the branch ends (as psql): a continuation prompt.
        try terminal.waitFor("-# ")
        try terminal.sendLine("\\endif")
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\if true")
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\if false")
        try terminal.waitFor("@# ")
        try terminal.sendControl("c")
        try terminal.waitFor("\\if: escaped")
        try terminal.waitFor("=# ")
        try terminal.sendLine("\\endif")
        try terminal.sendLine("\\echo done")
        try terminal.waitFor("done")
        #expect(!terminal.transcript.contains("hidden\r\n"))
        #expect(!terminal.transcript.contains("no matching"))
    }
}
