import ArgumentParser
import CurateChecks
import CurateKit

/// Where `\check` runs its checks: `--on primary` (this session, the default) or `--on standby`.
enum CheckPlace: String, ExpressibleByArgument, CaseIterable {
    case primary, standby
}

/// The hot standby `\check --on standby` runs on: a second connection, to the server the
/// variable `CURATE_STANDBY` names (a connection string or URI; what it leaves out is this
/// session's, as for `\connect -reuse-previous=on`), checked to be a standby of this session's
/// primary, with the replay lag measured before the checks start.
struct StandbyTarget {
    static let variable = "CURATE_STANDBY"

    let session: Session
    let lag: ReplayLag

    /// Connects, checks that the other end is in recovery (and, where the server lets the role
    /// read it, that it belongs to the same cluster), and measures the lag. Every refusal comes
    /// before a check runs.
    static func open(context: CommandContext) throws -> StandbyTarget {
        let setHint = "\\set \(variable) 'host=HOST port=PORT' (a connection string or postgresql:// URI; what it leaves out is this session's)"
        guard let connectionString = context.variables[variable], !connectionString.isEmpty else {
            throw CommandError("--on standby: no standby named: \(variable) is not set", hint: setHint)
        }
        let primary = context.session
        if try ServerRecovery.isInRecovery(primary) == true {
            throw CommandError("--on standby: this session is itself connected to a standby; the lag is measured against the primary, and fixes go there",
                               hint: "\\check without --on runs on this session; or \\connect to the primary")
        }
        let standby: Session
        do {
            standby = try primary.openSession(replacingSettingsWith: connectionString)
        } catch let error as ConnectionError {
            throw CommandError("cannot connect to the standby \(variable) names: \(error.message)",
                               hint: "nothing was checked; start the standby or correct \(variable)")
        } catch let error as CommandError {
            throw CommandError("\(variable): \(error.message)", hint: error.hint ?? setHint)
        }
        let server = "\(standby.info.host):\(standby.info.port)"
        guard try standby.execute("SELECT pg_catalog.pg_is_in_recovery()").rows.first?[0] == "t" else {
            throw CommandError("the server \(variable) names (\(server)) is not a standby: pg_is_in_recovery() is false there",
                               hint: "name a hot standby of this database's primary; \\check without --on runs on this session")
        }
        // A standby of another cluster would give findings about other data, and a meaningless lag.
        // pg_control_system() may be closed to the role: then this is not checked.
        let identifier = "SELECT system_identifier::text FROM pg_catalog.pg_control_system()"
        if let standbyCluster = (try? standby.execute(identifier).rows.first?[0]) ?? nil,
           let primaryCluster = try? CheckRunner(session: primary, variables: context.variables).guarded({ try primary.execute(identifier).rows.first?[0] ?? nil }),
           standbyCluster != primaryCluster {
            throw CommandError("the standby \(variable) names (\(server)) replicates another cluster (system identifier \(standbyCluster); this session's is \(primaryCluster))",
                               hint: "name a standby of this session's server")
        }
        let lag = try ReplayLag.measure(primary: primary, standby: standby, server: server)
        return StandbyTarget(session: standby, lag: lag)
    }

    /// The checks that may run on a standby, and the outcomes (skipped) of those that may not. A
    /// check named on the command line that may not is refused before anything runs.
    static func split(_ selected: [CheckDefinition], named names: [String]) throws -> (run: [CheckDefinition], kept: [CheckOutcome]) {
        var run: [CheckDefinition] = []
        var kept: [CheckOutcome] = []
        for check in selected {
            guard let reason = check.primaryOnly else {
                run.append(check)
                continue
            }
            if names.contains(check.name) {
                throw CommandError("\(check.name) does not run on a standby: \(reason)",
                                   hint: "\\check \(check.name) without --on standby runs it on this session (the primary)")
            }
            kept.append(.notOnStandby(check))
        }
        return (run, kept)
    }

    /// `outcomes` and `skipped` in the order of `selected`.
    static func merge(_ outcomes: [CheckOutcome], _ skipped: [CheckOutcome], order selected: [CheckDefinition]) -> [CheckOutcome] {
        var byName: [String: CheckOutcome] = [:]
        for outcome in outcomes + skipped { byName[outcome.check.name] = outcome }
        return selected.compactMap { byName[$0.name] }
    }
}
