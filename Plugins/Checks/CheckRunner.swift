import CurateKit

/// A result column: name and type OID (for JSON typing and right-aligned numbers).
public struct FindingColumn: Sendable, Equatable {
    public var name: String
    public var typeOID: UInt32

    public init(name: String, typeOID: UInt32) {
        self.name = name
        self.typeOID = typeOID
    }
}

/// What running one check gave.
public struct CheckOutcome: Sendable {
    public enum Status: String, Sendable {
        /// Ran and found nothing.
        case passed
        /// Ran and found rows.
        case findings
        /// Not run: its tables, extension or server version are missing.
        case skipped
        /// Could not run (permission, server error): never reported as clean.
        case failed
    }

    public var check: CheckDefinition
    public var status: Status
    public var columns: [FindingColumn]
    public var rows: [[String?]]
    public var elapsedMS: Double
    /// Why the check was skipped, or why it failed.
    public var reason: String?
    /// The index or constraint that makes the database hold the rule.
    public var guaranteedBy: String?
    /// Set when the rows came from a scan shared with other checks (the elapsed time is the scan's).
    public var sharedScan: String?
    /// The number of offending rows when `rows` holds only the first of them (`limit`).
    public var total: Int?

    public var count: Int { total ?? rows.count }
}

/// Runs checks in the shared session. Checks only read; inside the user's open transaction each
/// check runs in a savepoint, so a check that fails cannot spoil the user's transaction.
public struct CheckRunner {
    public let session: Session
    public let variables: Variables
    public let catalog: CheckCatalog

    public init(session: Session, variables: Variables, catalog: CheckCatalog = .builtIn) {
        self.session = session
        self.variables = variables
        self.catalog = catalog
    }

    /// The parameter values, from shell variables or defaults.
    public func values(of parameters: [CheckParameter]) -> [String?] {
        parameters.map { parameter in
            if let value = variables[parameter.variable], !value.isEmpty { return value }
            return parameter.defaultValue
        }
    }

    /// Runs `body` guarded: in a savepoint when the user has a transaction open.
    public func guarded<T>(_ body: () throws -> T) throws -> T {
        switch session.transactionState {
        case .inTransaction: return try session.savepoint(body)
        case .failed:
            throw CommandError("the current transaction has failed; checks cannot run in it",
                               hint: "ROLLBACK (or ROLLBACK TO a savepoint) first")
        default: return try body()
        }
    }

    /// Why `check` cannot run here, or nil when it can.
    public func skipReason(_ check: CheckDefinition, cache: inout [String: Bool]) throws -> String? {
        if let minimum = check.minimumServerVersion, session.info.serverVersion < minimum {
            return "needs PostgreSQL \(minimum / 10000) or later"
        }
        var missing: [String] = []
        for table in check.requiredTables {
            if cache[table] == nil {
                let found = try session.execute("SELECT pg_catalog.to_regclass($1) IS NOT NULL", [table])
                cache[table] = found.rows.first?[0] == "t"
            }
            if cache[table] == false { missing.append(table) }
        }
        if !missing.isEmpty {
            return (missing.count == 1 ? "table " : "tables ") + missing.joined(separator: ", ") + (missing.count == 1 ? " does not exist" : " do not exist")
        }
        if let extensionName = check.requiredExtension {
            let key = "extension:" + extensionName
            if cache[key] == nil {
                let found = try session.execute("SELECT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = $1)", [extensionName])
                cache[key] = found.rows.first?[0] == "t"
            }
            if cache[key] == false { return "\(extensionName) not installed (CREATE EXTENSION \(extensionName))" }
        }
        return nil
    }

    /// Runs the checks, sharing scans between checks that declare the same one. With `limit`,
    /// each outcome keeps only its first `limit` rows (its count stays complete), so that rows
    /// nobody will see are neither converted nor kept.
    public func run(_ checks: [CheckDefinition], limit: Int? = nil, progress: ((CheckDefinition) -> Void)? = nil) throws -> [CheckOutcome] {
        var cache: [String: Bool] = [:]
        var outcomes: [String: CheckOutcome] = [:]
        var sharedResults: [String: ScanResult] = [:]
        for check in checks {
            progress?(check)
            if let reason = try guarded({ try skipReason(check, cache: &cache) }) {
                outcomes[check.name] = CheckOutcome(check: check, status: .skipped, columns: [], rows: [], elapsedMS: 0, reason: reason)
                continue
            }
            var outcome: CheckOutcome
            switch check.query {
            case .sql(let sql):
                outcome = runSQL(check, sql: sql, parameters: values(of: check.parameters), limit: limit)
            case .shared(let scanName, let wanted):
                guard let scan = catalog.sharedScan(named: scanName) else {
                    outcome = CheckOutcome(check: check, status: .failed, columns: [], rows: [], elapsedMS: 0, reason: "no shared scan named \(scanName)")
                    break
                }
                if sharedResults[scanName] == nil {
                    sharedResults[scanName] = runScan(scan, limit: limit)
                }
                let scanResult = sharedResults[scanName]!
                if let error = scanResult.error {
                    outcome = CheckOutcome(check: check, status: .failed, columns: [], rows: [], elapsedMS: scanResult.elapsed, reason: error)
                    break
                }
                let indexes = wanted.compactMap { name in scanResult.columns.firstIndex { $0.name == name } }
                let columns = indexes.map { scanResult.columns[$0] }
                let rows = (scanResult.rows[check.name] ?? []).map { row in indexes.map { row[$0] } }
                let total = scanResult.counts[check.name] ?? 0
                outcome = CheckOutcome(check: check, status: total == 0 ? .passed : .findings, columns: columns, rows: rows,
                                       elapsedMS: scanResult.elapsed, sharedScan: scanName, total: total)
            case .perObject(let list, let probe, let states):
                outcome = runPerObject(check, list: list, probe: probe, findingStates: states)
            case .written(let writer):
                do {
                    // The writer takes the check's parameters; what it writes has them in its text.
                    outcome = runSQL(check, sql: try writtenSQL(writer, values(of: check.parameters)), parameters: [], limit: limit)
                } catch {
                    outcome = CheckOutcome(check: check, status: .failed, columns: [], rows: [], elapsedMS: 0, reason: describe(error))
                }
            }
            if let hardening = check.hardening, outcome.status != .failed {
                outcome.guaranteedBy = try? guarded { try session.execute(hardening.detectSQL).rows.first?[0] }
            }
            outcomes[check.name] = outcome
        }
        return checks.compactMap { outcomes[$0.name] }
    }

    private func describe(_ error: any Error) -> String {
        if let server = error as? ServerError { return server.message }
        if let command = error as? CommandError { return command.message }
        if let connection = error as? ConnectionError { return connection.message }
        return "\(error)"
    }

    /// Runs `body` with `settings` in force for it alone: `SET LOCAL` inside a transaction of
    /// its own (no transaction open) or a savepoint (the user's transaction open), rolled back
    /// afterwards, which also ends the settings. Checks only read, so nothing else is undone.
    public func withSettings<T>(_ settings: [QuerySetting], _ body: () throws -> T) throws -> T {
        if settings.isEmpty { return try guarded(body) }
        switch session.transactionState {
        case .idle, .inTransaction:
            do {
                return try session.withTransaction(keep: false, savepointName: "curate_check_settings", settings: settings, body)
            } catch {
                throw error.reported
            }
        default:
            return try guarded(body)
        }
    }

    /// Runs `sql` and counts its rows under `key(row)`, keeping the values of the first `limit`
    /// rows of each key (all without a limit; only kept rows are converted to strings).
    private func collect(
        _ sql: String, _ parameters: [String?], limit: Int?, key: (Row) -> String
    ) throws -> (columns: [FindingColumn], rows: [String: [[String?]]], counts: [String: Int]) {
        var columns: [FindingColumn] = []
        var rows: [String: [[String?]]] = [:]
        var counts: [String: Int] = [:]
        func take(_ row: Row) {
            if columns.isEmpty { columns = row.columns.map { FindingColumn(name: $0.name, typeOID: $0.typeOID) } }
            let name = key(row)
            let seen = counts[name, default: 0]
            counts[name] = seen + 1
            if limit.map({ seen < $0 }) ?? true { rows[name, default: []].append(row.values) }
        }
        if limit == nil {
            // Every row is kept anyway: one result is far cheaper than a result per row.
            let result = try session.execute(sql, parameters)
            for row in result.rows { take(row) }
        } else {
            // Only the first rows are kept: memory stays flat however many rows there are.
            _ = try session.stream(sql, parameters) { take($0) }
        }
        return (columns, rows, counts)
    }

    /// The statement `writer` writes (its first row's first value), for `CheckQuery.written(by:)`.
    public func writtenSQL(_ writer: String, _ parameters: [String?]) throws -> String {
        let written = try guarded { try session.execute(writer, parameters) }
        guard let text = written.rows.first?[0], !text.isEmpty else {
            throw CommandError("the query that writes the check's statement returned nothing")
        }
        return text
    }

    private func runSQL(_ check: CheckDefinition, sql: String, parameters: [String?], limit: Int?) -> CheckOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let (columns, rows, counts) = try withSettings(check.settings) {
                try collect(sql, parameters, limit: limit) { _ in "" }
            }
            let total = counts[""] ?? 0
            return CheckOutcome(check: check, status: total == 0 ? .passed : .findings, columns: columns, rows: rows[""] ?? [],
                                elapsedMS: Self.milliseconds(start.duration(to: clock.now)), total: total)
        } catch {
            return CheckOutcome(check: check, status: .failed, columns: [], rows: [], elapsedMS: Self.milliseconds(start.duration(to: clock.now)),
                                reason: describe(error))
        }
    }

    struct ScanResult {
        var columns: [FindingColumn]
        /// Rows by check name (the first `limit` of each).
        var rows: [String: [[String?]]]
        var counts: [String: Int]
        var elapsed: Double
        var error: String?
    }

    private func runScan(_ scan: SharedScan, limit: Int?) -> ScanResult {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let (columns, rows, counts) = try withSettings(scan.settings) {
                var parameters: [String?] = []
                if let parametersSQL = scan.parametersSQL {
                    let first = try session.execute(parametersSQL)
                    if let row = first.rows.first { parameters = row.values }
                }
                return try collect(scan.sql, parameters, limit: limit) { $0[0] ?? "" }
            }
            return ScanResult(columns: columns, rows: rows, counts: counts, elapsed: Self.milliseconds(start.duration(to: clock.now)))
        } catch {
            return ScanResult(columns: [], rows: [:], counts: [:], elapsed: Self.milliseconds(start.duration(to: clock.now)), error: describe(error))
        }
    }

    private func runPerObject(_ check: CheckDefinition, list: String, probe: String, findingStates: [String]) -> CheckOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        var rows: [[String?]] = []
        var objectColumn = "object"
        do {
            let listed = try guarded { try collect(list, [], limit: nil) { _ in "" } }
            objectColumn = listed.columns.first?.name ?? "object"
            for object in listed.rows[""] ?? [] {
                guard let name = object[0] else { continue }
                do {
                    // Always in a savepoint of its own when a transaction is open; a probe's
                    // error must not end the user's transaction.
                    let found = try guarded { try session.execute(probe, [name]) }
                    for row in found.rows where row[0] != nil { rows.append([name, row[0]]) }
                } catch let error as ServerError where findingStates.contains(error.sqlState) {
                    rows.append([name, error.message + (error.detail.map { " (\($0))" } ?? "")])
                }
            }
        } catch {
            return CheckOutcome(check: check, status: .failed, columns: [], rows: rows,
                                elapsedMS: Self.milliseconds(start.duration(to: clock.now)), reason: describe(error))
        }
        return CheckOutcome(check: check, status: rows.isEmpty ? .passed : .findings,
                            columns: [FindingColumn(name: objectColumn, typeOID: TypeOID.text), FindingColumn(name: "problem", typeOID: TypeOID.text)],
                            rows: rows, elapsedMS: Self.milliseconds(start.duration(to: clock.now)))
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
