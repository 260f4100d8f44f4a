import CurateTestSupport
import Foundation
import Testing

/// What a script's bytes mean: a NUL never cuts a statement short, and strings are read as the
/// server's `standard_conforming_strings` says, as psql's lexer reads them.
@Suite("Script input read as written")
struct ScriptInputTests {
    @Test("a NUL byte in a statement: refused with its line, nothing of it runs, the script stops even with ON_ERROR_STOP off")
    func nulByteStopsTheScript() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        _ = try database.psql("create table z (id int); insert into z values (1), (2), (3)")
        var input = Data("\\set ON_ERROR_STOP off\ndelete from z ".utf8)
        input.append(0)
        input.append(Data("where id = 1;\ninsert into z values (4);\n".utf8))
        let result = CurateProcess.run(arguments: database.curateArguments + ["-X", "-f", "-"], stdin: input)
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("curate:<stdin>:2: error: line 2 contains a NUL byte; nothing of the statement it belongs to was sent"))
        #expect(try database.psql("select string_agg(id::text, ',' order by id) from z") == "1,2,3")
    }

    @Test("a NUL byte on a later line of a statement: the lines before it are not sent either")
    func nulByteInLaterLine() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        _ = try database.psql("create table z (id int); insert into z values (1), (2)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curate-nul-\(UUID().uuidString).sql")
        var script = Data("delete from z\n".utf8)
        script.append(Data("where id = 1 ".utf8))
        script.append(0)
        script.append(Data("and false;\n".utf8))
        try script.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0", "-f", file.path])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("curate:\(file.path):2: error: line 2 contains a NUL byte"))
        #expect(try database.psql("select count(*) from z") == "2")
    }

    @Test("standard_conforming_strings off: 'a\\'' is one string, as psql reads it, and the script goes on")
    func nonStandardStrings() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let script = "set standard_conforming_strings = off;\nset escape_string_warning = off;\nselect 'a\\'' as quoted;\nselect 'b;c' as plain;\nset standard_conforming_strings = on;\nselect 'd\\' as backslash;\n"
        let psql = CurateProcess.run(
            arguments: database.curateArguments + ["-X", "-v", "ON_ERROR_STOP=1"], stdin: script,
            executable: URL(fileURLWithPath: TestServer.psqlPath))
        let curate = CurateProcess.run(in: database, arguments: ["-X"], stdin: script)
        #expect(curate.status == 0, "\(curate)")
        #expect(curate.stdout == psql.stdout)
        #expect(curate.stdout.contains(" a'\n"))
        #expect(curate.stdout.contains(" d\\\n"))
    }

    @Test("\\restrict: every backslash command but \\unrestrict KEY is refused, SQL still runs; the right key ends it")
    func restrictedMode() throws {
        let database = try TestDatabase.create(from: "template0")
        defer { database.drop() }
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("curate-restrict-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        let script = """
            \\restrict key123
            \\o \(marker.path)
            \\q
            select 'still runs' as sql;
            \\unrestrict wrong
            \\unrestrict key123
            \\echo free again
            \\unrestrict key123

            """
        let result = CurateProcess.run(in: database, arguments: ["-X", "-v", "ON_ERROR_STOP=0", "-f", "-"], stdin: script)
        #expect(result.status == 0, "\(result)")
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        #expect(result.stdout.contains("still runs"))
        #expect(result.stdout.hasSuffix("free again\n"))
        #expect(result.stderr.contains("curate:<stdin>:2: error: backslash commands are restricted; only \\unrestrict is allowed"))
        #expect(result.stderr.contains("curate:<stdin>:3: error: backslash commands are restricted"))
        #expect(result.stderr.contains("\\unrestrict: wrong key"))
        #expect(result.stderr.contains("\\unrestrict: not currently in restricted mode"))
    }

    @Test("a plain pg_dump (with \\restrict, COPY data and a sequence) restores through curate -f into an equal database")
    func plainDumpRestores() throws {
        let source = try TestDatabase.create()
        let target = try TestDatabase.create(from: "template0")
        defer { source.drop(); target.drop() }
        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("curate-plain-\(UUID().uuidString).sql")
        defer { try? FileManager.default.removeItem(at: dump) }
        let pgDump = URL(fileURLWithPath: (ProcessInfo.processInfo.environment["CURATE_TEST_PGBIN"] ?? "/usr/bin") + "/pg_dump")
        let dumpArguments = ["-h", source.host, "-p", source.port, "-U", source.user, "-f", dump.path, source.name]
        let dumped = CurateProcess.run(arguments: dumpArguments, executable: pgDump)
        #expect(dumped.status == 0, "\(dumped)")
        let restored = CurateProcess.run(in: target, arguments: ["-X", "-f", dump.path])
        #expect(restored.status == 0, "\(restored)")
        #expect(try target.psql("select count(*) from diskfile") == source.psql("select count(*) from diskfile"))
        #expect(try target.psql("select md5(string_agg(d::text, '|' order by id)) from diskfile d")
            == source.psql("select md5(string_agg(d::text, '|' order by id)) from diskfile d"))
    }
}
