import CurateKit

/// The layout of the audit tables (`audit`, `audit_row`), versioned so that an upgraded curate
/// finds a database's records as an older curate left them and brings them up to date on first
/// use. The version lives in the comment on the `audit` table, which curate writes: the first
/// layout's comment carried no version (version 1).
struct AuditLayout {
    /// One step from `version - 1` to `version`: SQL run in order, `{schema}` standing for the
    /// quoted audit schema, and what it changes, in words.
    struct Migration: Sendable {
        var version: Int
        var summary: String
        var statements: [String]
    }

    /// The layout this curate writes.
    let currentVersion: Int
    /// The steps up to `currentVersion`, oldest first.
    let migrations: [Migration]

    /// curate's own: layout 1 (0.1.0's tables). A change to the tables adds a step here and
    /// raises the version.
    static let curate = AuditLayout(currentVersion: 1, migrations: [])

    /// The comment on the `audit` table, with the layout version for the next curate to read.
    func comment(version: Int) -> String {
        "curate: one record per fix, undo or hardening, written in the same transaction (layout version \(version))"
    }

    /// The version in a comment `comment(version:)` wrote; a comment without one is layout 1.
    static func version(inComment comment: String?) -> Int {
        guard let comment, let start = comment.range(of: "(layout version ", options: .backwards) else { return 1 }
        let digits = comment[start.upperBound...].prefix { $0.isNumber }
        return Int(digits) ?? 1
    }

    /// The version of the tables in `schema` (quoted), which must exist.
    func installedVersion(session: Session, schema: String) throws -> Int {
        let result = try session.execute("SELECT pg_catalog.obj_description(pg_catalog.to_regclass($1), 'pg_class')", [schema + ".audit"])
        return Self.version(inComment: result.rows.first?[0] ?? nil)
    }

    /// Brings the tables in `schema` (quoted) up to `currentVersion`, in a savepoint of the
    /// caller's transaction. Returns the sentence to tell the user once (nil: nothing to do);
    /// throws when the tables are newer than this curate knows, or cannot be changed.
    func upgrade(session: Session, schema: String) throws -> String? {
        let installed = try installedVersion(session: session, schema: schema)
        if installed > currentVersion {
            throw CommandError("the audit tables in \(schema) have layout version \(installed), newer than this curate knows (\(currentVersion)); the fix was not run",
                               hint: "use the curate that wrote them, or a newer one")
        }
        guard installed < currentVersion else { return nil }
        let steps = migrations.filter { $0.version > installed && $0.version <= currentVersion }.sorted { $0.version < $1.version }
        do {
            try session.savepoint {
                for step in steps {
                    for statement in step.statements {
                        try session.execute(statement.replacingOccurrences(of: "{schema}", with: schema))
                    }
                }
                try session.execute("COMMENT ON TABLE \(schema).audit IS \(session.quoteLiteral(comment(version: currentVersion)))")
            }
        } catch let error as ServerError {
            throw CommandError("cannot upgrade the audit tables in \(schema) from layout version \(installed) to \(currentVersion): \(error.message); the fix was not run",
                               hint: "ask the owner of \(schema).audit to run a \\fix once with this curate")
        }
        let changes = steps.map(\.summary).joined(separator: "; ")
        return "Upgraded the audit tables in \(schema) from layout version \(installed) to \(currentVersion)" + (changes.isEmpty ? "." : ": \(changes).")
    }
}
