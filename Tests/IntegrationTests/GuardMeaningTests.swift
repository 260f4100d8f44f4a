import CurateTestSupport
import Foundation
import Testing

/// The destructive-statement guard judges what a statement means: an always-true WHERE is no
/// WHERE, and rows that go with a DELETE or TRUNCATE through foreign keys are named.
@Suite("guard: always-true conditions and cascades", .serialized)
struct GuardMeaningTests {
    static func open(_ database: TestDatabase) throws -> PTYSession {
        let terminal = try PTYSession(arguments: database.curateArguments + ["-X"], cols: 200)
        try terminal.waitFor("=# ")
        return terminal
    }

    /// Sends `statement`, waits for each of `expected` in order, answers no.
    static func refuse(_ terminal: PTYSession, _ statement: String, _ expected: [String]) throws {
        try terminal.sendLine(statement)
        for text in expected { try terminal.waitFor(text) }
        try terminal.waitFor("Send it? [y/N] ")
        try terminal.sendLine("n")
        try terminal.waitFor("Not sent.")
        try terminal.waitFor("=# ")
    }

    @Test("each always-true form counts as no WHERE; a real condition is sent without a question")
    func alwaysTrue() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let before = try database.psql("SELECT count(*) FROM ingestqueue")
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        for (statement, condition) in [
            ("DELETE FROM ingestqueue WHERE true;", "WHERE true"),
            ("DELETE FROM ingestqueue WHERE 1=1;", "WHERE 1 = 1"),
            ("DELETE FROM ingestqueue WHERE 'x' = 'x' RETURNING id;", "WHERE 'x' = 'x'"),
            ("DELETE FROM ingestqueue WHERE NOT false;", "WHERE NOT false"),
            ("DELETE FROM ingestqueue WHERE (1 = 1 OR id > 5);", "WHERE (1 = 1 OR id > 5)"),
            ("UPDATE ingestqueue SET inprogress = false WHERE 2 > 1 AND true;", "WHERE 2 > 1 AND true"),
        ] {
            try Self.refuse(terminal, statement, ["whose WHERE is always true (\(condition))", "ingestqueue: \(before) rows"])
        }
        // Not constant as written, but the planner folds it away.
        try Self.refuse(terminal, "DELETE FROM ingestqueue WHERE 1 + 1 = 2;", ["DELETE whose WHERE is always true (the planner drops it) on ingestqueue"])
        try Self.refuse(terminal, "UPDATE ingestqueue SET error = NULL WHERE length('ab') = 2;", ["UPDATE whose WHERE is always true (the planner drops it) on ingestqueue"])
        #expect(try database.psql("SELECT count(*) FROM ingestqueue") == before)
        #expect(try database.psql("SELECT count(*) FROM ingestqueue WHERE inprogress") != "0")
        // A condition on the rows: no question.
        try terminal.sendLine("DELETE FROM ingestqueue WHERE id = 1;")
        try terminal.waitFor("DELETE 1")
        try terminal.waitFor("=# ")
        #expect(!terminal.transcript.contains("WHERE id = 1\r\nThis statement"))
        // WHERE false deletes nothing: no question either.
        try terminal.sendLine("DELETE FROM ingestqueue WHERE false;")
        try terminal.waitFor("DELETE 0")
    }

    @Test("a DELETE cascading through ON DELETE CASCADE names every table and its rows, counted or estimated")
    func deleteCascade() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        _ = try database.psql("""
            ALTER TABLE diskfile DROP CONSTRAINT diskfile_file_id_fkey, ADD FOREIGN KEY (file_id) REFERENCES file ON DELETE CASCADE;
            ALTER TABLE header DROP CONSTRAINT header_diskfile_id_fkey, ADD FOREIGN KEY (diskfile_id) REFERENCES diskfile ON DELETE CASCADE;
            CREATE TABLE download (id bigserial PRIMARY KEY, file_id integer REFERENCES file ON DELETE CASCADE);
            INSERT INTO download (file_id) SELECT 7 FROM generate_series(1, 250000);
            ANALYZE download;
            """)
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try Self.refuse(terminal, "DELETE FROM file WHERE id = 7;", [
            "DELETE on file (1 row (counted)) cascades through ON DELETE CASCADE to:",
            "diskfile: 2 rows (counted)",
            "download: about ",
            " rows (planner estimate)",
            "header: 2 rows (counted)",
        ])
        try Self.refuse(terminal, "DELETE FROM file f USING diskfile d WHERE d.file_id = f.id AND d.id IN (7, 9, 11);", [
            "DELETE on file (3 rows (counted)) cascades through ON DELETE CASCADE to:",
            "diskfile: 4 rows (counted)",
        ])
        try Self.refuse(terminal, "DELETE FROM file;", ["DELETE without WHERE on file (file: 200 rows)", "cascades through ON DELETE CASCADE to:", "header: 244 rows (counted)"])
        #expect(try database.psql("SELECT count(*) FROM diskfile WHERE file_id = 7") == "2")
        #expect(try database.psql("SELECT count(*) FROM download") == "250000")
    }

    @Test("TRUNCATE ... CASCADE names every table it empties with its rows")
    func truncateCascade() throws {
        let database = try TestDatabase.create()
        defer { database.drop() }
        let terminal = try Self.open(database)
        defer { terminal.terminate() }
        try Self.refuse(terminal, "TRUNCATE file CASCADE;", [
            "TRUNCATE file CASCADE (file: 200 rows)",
            "TRUNCATE ... CASCADE also empties:",
            "diskfile: 242 rows (counted)",
            "header: 244 rows (counted)",
        ])
        #expect(try database.psql("SELECT count(*) FROM header") == "244")
    }
}
