import CurateTestSupport
import Foundation
import Testing

/// A plain pg_dump restored through curate, as psql restores it: from a file (`-f dump.sql`) and
/// piped from gzip on standard input. A second pg_dump of each restored database must equal the
/// first dump (only the `\restrict`/`\unrestrict` keys, new on every dump, are normalised).
@Suite("plain dump round trip")
struct PlainDumpRoundTripTests {
    /// Many column types, quoting and non-ASCII text, NULLs, a large object, a sequence with a set
    /// value, foreign keys, an enum and a domain.
    static let sourceSchema = #"""
        create type mood as enum ('sad', 'ok', 'happy');
        create domain positive_int as int check (value > 0);
        create table parent (id int primary key, name text not null unique);
        create table child (
            id bigserial primary key,
            parent_id int not null references parent (id) on delete cascade,
            n int, big bigint, amount numeric(12, 4), label text, raw bytea, flag bool,
            day date, at timestamptz, span interval, doc json, docb jsonb, tags text[],
            grid int[][], uid uuid, address inet, feeling mood, count positive_int
        );
        create sequence standalone_seq start 5;
        select setval('standalone_seq', 4242);
        insert into parent values (1, 'first'), (2, 'sec''ond "quoted"');
        insert into child (parent_id, n, big, amount, label, raw, flag, day, at, span, doc, docb, tags, grid,
                           uid, address, feeling, count) values
            (1, 1, 9223372036854775807, 12345678.1234, E'tab\there, newline\nthere, back\\slash, quote '' and "',
             '\x00ff10'::bytea, true, '2024-02-29', '2024-02-29 12:34:56.789+01', '1 year 2 mons 3 days 04:05:06',
             '{"a": [1, 2, {"b": null}]}', '{"z": "ü", "a": 1}', array['x', 'y z', null, 'quote"s'],
             '{{1,2},{3,4}}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24', 'happy', 7),
            (2, -2, null, -0.5, 'grüße, 日本語, emoji 🎉', '', false, 'infinity', '-infinity', '-1 day',
             'null', '[]', '{}', null, null, '::1', 'sad', null),
            (1, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
            (2, 0, 0, 'NaN', E'\\.', '\x5c2e0a', null, null, null, null, null, null, '{"\\."}', null, null, null, 'ok', 1);
        select lo_from_bytea(0, convert_to(E'large object\nwith two lines', 'UTF8'));
        comment on table child is 'a table with every kind of column';
        """#

    @Test("a plain dump restored through curate dumps again to the same text")
    func throughCurate() throws {
        try Self.roundTrip(restoringWith: CurateBinary.path)
    }

    /// The same round trip through psql: proves the fixture and the comparison, so that a failure
    /// through curate is curate's.
    @Test("a plain dump restored through psql dumps again to the same text")
    func throughPsql() throws {
        try Self.roundTrip(restoringWith: TestServer.psqlPath)
    }

    /// Dumps a database made from `sourceSchema`, restores the dump with `program` (`-X -f FILE`,
    /// and `gzip -dc FILE.gz | program -X`) into two empty databases, and compares their dumps
    /// with the first.
    static func roundTrip(restoringWith program: String) throws {
        let source = try TestDatabase.create(from: "template0")
        defer { source.drop() }
        try source.psql(sourceSchema)

        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("curate-dump-round-trip-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dumpFile = folder.appendingPathComponent("dump.sql")
        let first = try plainDump(source, to: dumpFile)
        try #require(first.contains("COPY public.child"), "the dump has no COPY data:\n\(first)")
        let gzip = CurateProcess.run(
            arguments: ["-c", "gzip -c \"$1\" > \"$1.gz\"", "sh", dumpFile.path],
            executable: URL(fileURLWithPath: "/bin/sh"))
        try #require(gzip.status == 0, "gzip failed: \(gzip)")

        let fromFile = try TestDatabase.create(from: "template0")
        defer { fromFile.drop() }
        let fromPipe = try TestDatabase.create(from: "template0")
        defer { fromPipe.drop() }

        let restoreAndCompare = {
            let fileRun = CurateProcess.run(
                arguments: fromFile.connectionArguments + ["-X", "-f", dumpFile.path],
                executable: URL(fileURLWithPath: program))
            #expect(fileRun.status == 0 && fileRun.stderr.isEmpty, "\(program) -X -f dump.sql failed: \(fileRun)")
            let pipeRun = CurateProcess.run(
                arguments: ["-c", "f=$1; c=$2; shift 2; gzip -dc \"$f\" | \"$c\" \"$@\"", "sh",
                            dumpFile.path + ".gz", program] + fromPipe.connectionArguments + ["-X"],
                executable: URL(fileURLWithPath: "/bin/sh"))
            #expect(pipeRun.status == 0 && pipeRun.stderr.isEmpty, "gzip -dc dump.sql.gz | \(program) -X failed: \(pipeRun)")

            for (how, database) in [("-f dump.sql", fromFile), ("gzip -dc | program", fromPipe)] {
                let again = try plainDump(database, to: folder.appendingPathComponent("again-\(database.name).sql"))
                let expected = normalise(first, database: source)
                let actual = normalise(again, database: database)
                if actual != expected {
                    Issue.record("restored with \(how), the dump differs:\n\(PsqlParityTests.unifiedDiff(expected, actual))")
                }
            }
        }
        try restoreAndCompare()
    }

    /// `pg_dump` (plain) of the server's own PostgreSQL version, into `file`; its text.
    static func plainDump(_ database: TestDatabase, to file: URL) throws -> String {
        let run = CurateProcess.run(
            arguments: database.connectionArguments + ["--no-password", "-f", file.path],
            executable: URL(fileURLWithPath: pgDumpPath))
        try #require(run.status == 0, "pg_dump failed: \(run)")
        let text = try String(contentsOf: file, encoding: .utf8)
        try #require(text.contains("PostgreSQL database dump complete"), "pg_dump's output is incomplete")
        return text
    }

    /// CURATE_TEST_PGBIN/pg_dump (the server's version), else pg_dump on PATH.
    static var pgDumpPath: String {
        if let bin = ProcessInfo.processInfo.environment["CURATE_TEST_PGBIN"], !bin.isEmpty {
            return bin + "/pg_dump"
        }
        return "/usr/bin/pg_dump"
    }

    /// The `\restrict KEY`/`\unrestrict KEY` lines (a new key every dump) and the database name.
    static func normalise(_ dump: String, database: TestDatabase) -> String {
        dump.components(separatedBy: "\n")
            .map { line in
                if line.hasPrefix("\\restrict ") { return "\\restrict KEY" }
                if line.hasPrefix("\\unrestrict ") { return "\\unrestrict KEY" }
                return line
            }
            .joined(separator: "\n")
            .replacingOccurrences(of: database.name, with: "DBNAME")
    }
}
