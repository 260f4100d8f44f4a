import CurateKit
import CurateTestSupport
import Testing
@testable import FixPlugin

/// An upgrade keeps the audit records: tables an older curate made are brought up to the layout
/// the running curate writes, on first use, saying so once.
@Suite("Audit layout upgrades")
struct AuditLayoutUpgradeTests {
    /// 0.1.0's comment on the audit table: no layout version in it.
    static let firstComment = "curate: one record per fix, undo or hardening, written in the same transaction"

    /// A database with 0.1.0's audit tables holding one record, and a session on it.
    static func databaseWithFirstLayout() throws -> (TestDatabase, Session) {
        let database = try TestDatabase.create()
        let session = try Session(parameters: ConnectionParameters(database: database.name, host: database.host, port: database.port, user: database.user))
        for statement in FixEngine.auditDDL(schema: "curate") { try session.execute(statement) }
        try session.execute("COMMENT ON TABLE curate.audit IS '\(firstComment)'")
        try session.execute("INSERT INTO curate.audit (action, check_name, sql) VALUES ('fix', 'duplicate-canonical', 'UPDATE diskfile SET canonical = false WHERE id = 1')")
        return (database, session)
    }

    /// `layout.upgrade` in a transaction of its own, committed (a fix's transaction, as curate runs it).
    static func upgrade(_ layout: AuditLayout, _ session: Session) throws -> String? {
        try session.transaction { try layout.upgrade(session: session, schema: "curate") }
    }

    /// A later layout for the test: version 2 adds a column.
    static let secondLayout = AuditLayout(currentVersion: 2, migrations: [
        .init(version: 2, summary: "audit gains a note column", statements: ["ALTER TABLE {schema}.audit ADD COLUMN note text"]),
    ])

    @Test("0.1.0's tables are this curate's layout: nothing to change, nothing said, the records kept")
    func firstLayoutIsCurrent() throws {
        let (database, session) = try Self.databaseWithFirstLayout()
        defer { database.drop() }
        #expect(try AuditLayout.curate.installedVersion(session: session, schema: "curate") == 1)
        #expect(try Self.upgrade(.curate, session) == nil)
        #expect(try database.psql("SELECT count(*) FROM curate.audit") == "1")
    }

    @Test("tables of an older layout are migrated on first use, which says so once; the records stay")
    func migratesOnce() throws {
        let (database, session) = try Self.databaseWithFirstLayout()
        defer { database.drop() }
        let said = try Self.upgrade(Self.secondLayout, session)
        #expect(said == "Upgraded the audit tables in curate from layout version 1 to 2: audit gains a note column.")
        #expect(try database.psql("SELECT count(*) FROM curate.audit WHERE note IS NULL") == "1")
        #expect(try Self.secondLayout.installedVersion(session: session, schema: "curate") == 2)
        #expect(try Self.upgrade(Self.secondLayout, session) == nil)
    }

    @Test("a migration rolled back with its transaction is done again, and said again, next time")
    func rolledBackMigrationRepeats() throws {
        let (database, session) = try Self.databaseWithFirstLayout()
        defer { database.drop() }
        try session.execute("BEGIN")
        #expect(try Self.secondLayout.upgrade(session: session, schema: "curate") != nil)
        try session.execute("ROLLBACK")
        #expect(try Self.secondLayout.installedVersion(session: session, schema: "curate") == 1)
        #expect(try Self.upgrade(Self.secondLayout, session) != nil)
    }

    @Test("tables newer than this curate knows are refused, not written")
    func newerLayoutRefused() throws {
        let (database, session) = try Self.databaseWithFirstLayout()
        defer { database.drop() }
        _ = try Self.upgrade(Self.secondLayout, session)
        #expect(throws: CommandError.self) { try Self.upgrade(.curate, session) }
        #expect(try database.psql("SELECT count(*) FROM curate.audit") == "1")
    }

    @Test("the version is read from the comment; a comment without one is layout 1")
    func versionFromComment() {
        #expect(AuditLayout.version(inComment: Self.firstComment) == 1)
        #expect(AuditLayout.version(inComment: nil) == 1)
        #expect(AuditLayout.version(inComment: AuditLayout.curate.comment(version: 7)) == 7)
    }
}
