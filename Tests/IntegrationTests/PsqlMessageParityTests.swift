import CurateTestSupport
import Foundation
import Testing

/// Server messages side by side with real psql 15: the same script through both shells, stdout
/// and stderr interleaved, byte for byte once psql's `psql:` prefix reads `curate:` (the one
/// difference curate makes). Both run with ON_ERROR_STOP off, psql's default.
@Suite("Messages as psql prints them")
struct PsqlMessageParityTests {
    /// How the script reaches the shell.
    enum Input: String, CaseIterable, Sendable {
        /// `-f FILE`: messages say `curate:FILE:LINE: `.
        case file
        /// `-f -`: messages say `curate:<stdin>:LINE: `.
        case standardInputFile
        /// Piped standard input without `-f`: no location, as in psql.
        case standardInput
    }

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let script: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "an error in a multi-line statement names the line of its semicolon", script: """
            select 1,
              2
              + 1/0
              ,3
            ;
            select 1/0; select 2/0;
            select
            'no such' +
            """),
        Case(name: "notices and warnings are located like errors; no CONTEXT for them by default", script: """
            do $$ begin raise notice 'checking % rows', 3; end $$;
            do $$
            begin
              raise warning 'careful';
            end
            $$;
            set client_min_messages = debug1;
            do $$ begin raise info 'information'; end $$;
            """),
        Case(name: "a PL/pgSQL error carries its CONTEXT; DETAIL and HINT follow the message", script: """
            create function fails() returns int language plpgsql as $$ begin return 1/0; end $$;
            select fails();
            do $$ begin raise exception 'custom failure' using detail = 'the detail', hint = 'the hint'; end $$;
            create table k (id int primary key);
            insert into k values (1);
            insert into k values (1);
            """),
        Case(name: "VERBOSITY verbose, terse and sqlstate, and back to default", script: """
            create function fails() returns int language plpgsql as $$ begin return 1/0; end $$;
            \\set VERBOSITY verbose
            select fails();
            select * from no_such_table;
            \\set VERBOSITY terse
            select fails();
            select * from no_such_table;
            \\set VERBOSITY sqlstate
            select fails();
            \\set VERBOSITY default
            select fails();
            \\unset VERBOSITY
            \\echo :VERBOSITY
            """),
        Case(name: "SHOW_CONTEXT never and always", script: """
            create function fails() returns int language plpgsql as $$ begin return 1/0; end $$;
            \\set SHOW_CONTEXT never
            select fails();
            \\set SHOW_CONTEXT always
            select fails();
            do $$ begin raise notice 'with context'; end $$;
            \\set SHOW_CONTEXT errors
            do $$ begin raise notice 'without context'; end $$;
            """),
        Case(name: "the LINE excerpt of a long line is shortened around the error", script: """
            select 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' || no_such_column, 'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc';
            select 1,
            \t2, no_such_column_either
            from (values (1)) v;
            """),
        Case(name: "an error in an internal query keeps its QUERY and position", script: """
            do $$ begin execute 'select * from no_such_internal'; end $$;
            create function inner_fails() returns void language plpgsql as $$
            begin
              perform no_such_function(1);
            end $$;
            select inner_fails();
            \\errverbose
            """),
        Case(name: "\\errverbose: none yet, then the last error in full on stderr", script: """
            \\errverbose
            select 1/0;
            select 1;
            \\errverbose
            """),
    ]

    @Test("the script's messages equal psql's, read from a file", arguments: cases)
    func fromFile(_ testCase: Case) throws {
        try compare(testCase.script, input: .file)
    }

    @Test("located as <stdin> with -f -, unlocated from piped standard input", arguments: [Input.standardInputFile, Input.standardInput])
    func fromStandardInput(_ input: Input) throws {
        try compare(Self.cases[0].script + "\n" + Self.cases[1].script + "\n" + Self.cases[2].script, input: input)
    }

    @Test("-c: no location, as psql")
    func commandString() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let psql = PsqlProcess.run(in: database, arguments: ["-X", "-c", "select 1/0"])
        let curate = CurateProcess.run(in: database, arguments: ["-X", "-c", "select 1/0"], mode: .combined)
        #expect(psql.combined == "ERROR:  division by zero\n")
        #expect(curate.combined == psql.combined, "\(curate)")
    }

    @Test("an unknown command: error: and the location in a file, the bare message elsewhere")
    func unknownCommand() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let script = "select 1;\n\\zzqq\n"
        let file = try Self.write(script)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0", "-f", file.path], mode: .combined)
        let psqlFile = PsqlProcess.run(in: database, arguments: ["-X", "-f", file.path])
        #expect(fromFile.combined == Self.normalise(psqlFile.combined), "\(fromFile)")
        let piped = CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0"], stdin: script, mode: .combined)
        let psqlPiped = PsqlProcess.run(in: database, arguments: ["-X"], stdin: script)
        #expect(piped.combined == psqlPiped.combined, "\(piped)")
    }

    // MARK: Helpers

    private func compare(_ script: String, input: Input) throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let file = try Self.write(script)
        defer { try? FileManager.default.removeItem(at: file) }
        let common = ["-X", "-v", "ON_ERROR_STOP=0"]
        let arguments: [String]
        var stdin: String? = nil
        switch input {
        case .file: arguments = common + ["-f", file.path]
        case .standardInputFile: arguments = common + ["-f", "-"]; stdin = script
        case .standardInput: arguments = common; stdin = script
        }
        let psql = PsqlProcess.run(in: database, arguments: arguments, stdin: stdin)
        // A fresh database for curate, so that both see the same objects.
        let second = try TestDatabase.create()
        defer { second.drop() }
        let curate = CurateProcess.run(in: second, arguments: arguments, stdin: stdin, mode: .combined)
        let expected = Self.normalise(psql.combined).replacingOccurrences(of: database.name, with: "DB")
        let actual = curate.combined.replacingOccurrences(of: second.name, with: "DB")
        #expect(curate.status == psql.status, "\(curate)")
        #expect(actual == expected, "psql:\n\(expected)\ncurate:\n\(actual)")
    }

    /// psql's name at the start of a line, where it begins a located message.
    static func normalise(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("psql:") ? "curate:" + $0.dropFirst(5) : String($0) }
            .joined(separator: "\n")
    }

    static func write(_ script: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curate-messages-\(UUID().uuidString).sql")
        try script.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
