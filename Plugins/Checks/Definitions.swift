import CurateKit

/// How bad a finding is. Ordered: `info` < `warning` < `error`.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case info, warning, error

    var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A value a check's (or fix's) SQL takes as a parameter (`$1`, `$2`, ... in declaration order),
/// read from a shell variable, with a default. NULL when neither is set.
public struct CheckParameter: Sendable {
    /// The shell variable (`\set CURATE_QUEUE_STUCK_AFTER '2 hours'`).
    public var variable: String
    public var defaultValue: String?
    public var description: String

    public init(variable: String, defaultValue: String?, description: String) {
        self.variable = variable
        self.defaultValue = defaultValue
        self.description = description
    }
}

/// How a check finds its offending rows.
public enum CheckQuery: Sendable {
    /// One statement that returns the offending rows (and nothing when all is well).
    case sql(String)
    /// The check is one part of a shared scan (`SharedScan`): its rows are the scan's rows whose
    /// `check` column is this check's name, projected on `columns`.
    case shared(scan: String, columns: [String])
    /// `list` returns one object per row (first column: its name, passed as `$1` to `probe`);
    /// `probe` runs once per object, in a savepoint. Each probe row whose first column is not
    /// NULL is a finding; a probe that fails with one of `findingStates` (SQLSTATE) is a finding
    /// (the error message); any other failure fails the whole check — never reported as clean.
    case perObject(list: String, probe: String, findingStates: [String])
    /// A statement that writes (one row, one column) the statement returning the offending rows:
    /// for SQL over every table of a kind (a count or maximum per table), which one statement
    /// cannot hold without server-side functions or the server's XML support (`query_to_xml`
    /// needs libxml, which not every PostgreSQL build has).
    case written(by: String)
}

/// One scan serving several checks: it returns a `check` column (the check's name) and the
/// union of the checks' columns, so one pass over a big table answers all of them.
public struct SharedScan: Sendable {
    public var name: String
    public var sql: String
    public var requiredTables: [String]
    /// Run first (same transaction); the values of its first row become `$1`, `$2`, ... of `sql`
    /// (e.g. the key range a scan splits into chunks that parallel workers share).
    public var parametersSQL: String?
    /// `SET LOCAL` settings for the scan's statements (e.g. `jit = off`).
    public var settings: [QuerySetting]

    public init(name: String, sql: String, requiredTables: [String], parametersSQL: String? = nil, settings: [QuerySetting] = []) {
        self.name = name
        self.sql = sql
        self.requiredTables = requiredTables
        self.parametersSQL = parametersSQL
        self.settings = settings
    }
}

/// A constraint that makes the database itself hold a check's rule.
public struct Hardening: Sendable {
    /// What it is, in words.
    public var summary: String
    /// The statement that creates it (run outside a transaction: `CREATE ... CONCURRENTLY`).
    public var createSQL: String
    /// The name the created index gets (dropped again if a concurrent build fails and leaves it invalid).
    public var indexName: String
    /// Returns the name of an existing constraint or index that guarantees the rule (no rows: none).
    public var detectSQL: String

    public init(summary: String, createSQL: String, indexName: String, detectSQL: String) {
        self.summary = summary
        self.createSQL = createSQL
        self.indexName = indexName
        self.detectSQL = detectSQL
    }
}

/// A check: data, so that check pack files (`PackFile`) declare the same things as built-in packs.
public struct CheckDefinition: Sendable {
    public var name: String
    public var pack: String
    public var severity: Severity
    /// One line, for `\check --list`.
    public var description: String
    /// Tables (as SQL names them, optionally schema-qualified) that must exist; otherwise skipped.
    public var requiredTables: [String]
    /// An extension that must be installed in the database; otherwise skipped.
    public var requiredExtension: String?
    /// `server_version_num` at least; otherwise skipped.
    public var minimumServerVersion: Int?
    public var query: CheckQuery
    public var parameters: [CheckParameter]
    public var hardening: Hardening?
    /// `SET LOCAL` settings for a `.sql` check's statement (see `QuerySetting`).
    public var settings: [QuerySetting]
    /// How a finding names the rows it concerns (for `\row`); the first naming a table is the one
    /// `\row` filters on, so list the key column first.
    public var rowNames: [FindingRowName] = []
    /// Why the check must not run on a hot standby (its answer there would be wrong, or about the
    /// standby rather than the data); nil: it only reads replicated data (`StandbyUse.swift`).
    public var primaryOnly: String?

    public init(
        name: String, pack: String, severity: Severity, description: String,
        requiredTables: [String] = [], requiredExtension: String? = nil, minimumServerVersion: Int? = nil,
        query: CheckQuery, parameters: [CheckParameter] = [], hardening: Hardening? = nil,
        settings: [QuerySetting] = []
    ) {
        self.name = name
        self.pack = pack
        self.severity = severity
        self.description = description
        self.requiredTables = requiredTables
        self.requiredExtension = requiredExtension
        self.minimumServerVersion = minimumServerVersion
        self.query = query
        self.parameters = parameters
        self.hardening = hardening
        self.settings = settings
    }
}

/// A repair that changes rows of one table, set-based, under row locks.
///
/// The fix plugin runs, in one transaction (or savepoint):
/// 1. `lock` with the fix's parameters as `$1...`: a `SELECT ... FOR UPDATE` that locks every row
///    the repair depends on and returns a column `scope` (e.g. the file ids). `{where ALIAS}` in it
///    becomes `ALIAS.key IN (SELECT key FROM table WHERE (user's --where condition))`, or `true`.
/// 2. `target` with `$1` = the distinct scope values (a text array literal) and the fix's
///    parameters as `$2...`: run after the locks are held, so it re-checks the rule on the locked
///    rows; it returns `key` and the new value of each of `setColumns` for every row to change.
/// 3. One statement that updates those rows and writes the before and after image of each
///    changed row into the audit table.
public struct RowFix: Sendable {
    public var table: String
    public var key: String
    /// SQL type of the scope values, for `$1::TYPE[]`.
    public var scopeType: String
    public var setColumns: [String]
    public var lock: String
    public var target: String
    /// Run after the change with `$1` = the scope values: one row per thing repaired, naming it
    /// as people do (the file's name) and saying which row was kept and why; shown under the
    /// preview. Nil: the preview alone.
    public var explain: String?

    public init(table: String, key: String, scopeType: String, setColumns: [String], lock: String, target: String, explain: String? = nil) {
        self.table = table
        self.key = key
        self.scopeType = scopeType
        self.setColumns = setColumns
        self.lock = lock
        self.target = target
        self.explain = explain
    }
}

/// A repair made of statements (DDL, `setval`) that a generator query writes: it returns the
/// columns `object` and `statement`, one row per statement to run.
public struct StatementFix: Sendable {
    public var generator: String
    /// The generator is itself written by a query (see `CheckQuery.written(by:)`): `generator` is
    /// that query.
    public var generatorIsWritten: Bool
    /// False for statements that cannot run in a transaction block (`REINDEX ... CONCURRENTLY`).
    public var transactional: Bool

    public init(generator: String, transactional: Bool) {
        self.generator = generator
        self.generatorIsWritten = false
        self.transactional = transactional
    }

    /// A generator written by `writer` (one row, one column: the generator's text).
    public init(generatorWrittenBy writer: String, transactional: Bool) {
        self.generator = writer
        self.generatorIsWritten = true
        self.transactional = transactional
    }
}

public enum FixKind: Sendable {
    case rows(RowFix)
    case statements(StatementFix)
    /// No safe automatic repair; the reason says what to do by hand.
    case none(String)
}

public struct FixDefinition: Sendable {
    /// The check it repairs.
    public var check: String
    /// What it does and why it is safe, for the preview and `\fix --list`.
    public var summary: String
    public var kind: FixKind
    public var parameters: [CheckParameter]

    public init(check: String, summary: String, kind: FixKind, parameters: [CheckParameter] = []) {
        self.check = check
        self.summary = summary
        self.kind = kind
        self.parameters = parameters
    }
}

/// A set of checks and fixes, e.g. `fitsstorage` or `postgres`.
public struct CheckPack: Sendable {
    public var name: String
    public var description: String
    public var checks: [CheckDefinition]
    public var fixes: [FixDefinition]
    public var sharedScans: [SharedScan]
    /// Relations the schema does not declare, followed by `\row` like foreign keys.
    public var relations: [DeclaredRelation]

    public init(name: String, description: String, checks: [CheckDefinition], fixes: [FixDefinition], sharedScans: [SharedScan] = [],
                relations: [DeclaredRelation] = []) {
        self.name = name
        self.description = description
        self.checks = checks
        self.fixes = fixes
        self.sharedScans = sharedScans
        self.relations = relations.map { relation in
            var relation = relation
            relation.pack = name
            return relation
        }
    }
}

/// The checks curate knows, by pack. Shared by the `check` and `fix` plugins.
public struct CheckCatalog: Sendable {
    public var packs: [CheckPack]

    public init(packs: [CheckPack]) { self.packs = packs }

    /// The built-in packs. What curate knows right now (these plus the pack files loaded) is
    /// the check plugin's `CheckCatalogStore`.
    public static let builtIn = CheckCatalog(packs: [FitsstoragePack.pack, PostgresPack.pack])

    public var checks: [CheckDefinition] { packs.flatMap(\.checks) }
    public var fixes: [FixDefinition] { packs.flatMap(\.fixes) }
    public var sharedScans: [SharedScan] { packs.flatMap(\.sharedScans) }
    public var relations: [DeclaredRelation] { packs.flatMap(\.relations) }

    public func check(named name: String) -> CheckDefinition? { checks.first { $0.name == name } }
    public func fix(for check: String) -> FixDefinition? { fixes.first { $0.check == check } }
    public func pack(named name: String) -> CheckPack? { packs.first { $0.name == name } }
    public func sharedScan(named name: String) -> SharedScan? { sharedScans.first { $0.name == name } }

    /// Checks named by `words` (check names or pack names), in catalog order; all when empty.
    public func select(_ words: [String]) throws -> [CheckDefinition] {
        if words.isEmpty { return checks }
        var wanted = Set<String>()
        for word in words {
            if let pack = pack(named: word) {
                wanted.formUnion(pack.checks.map(\.name))
            } else if check(named: word) != nil {
                wanted.insert(word)
            } else {
                let names = checks.map(\.name) + packs.map(\.name)
                let close = names.filter { $0.hasPrefix(String(word.prefix(3))) }
                throw CheckCatalogError.unknown(word, suggestions: close)
            }
        }
        return checks.filter { wanted.contains($0.name) }
    }
}

public enum CheckCatalogError: Error, Sendable {
    case unknown(String, suggestions: [String])
}
