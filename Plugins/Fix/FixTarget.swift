import CurateChecks
import CurateKit

/// Where a fix writes: always the primary, through the user's session; never a standby. With
/// `--from-standby`, only the rows a `\check --on standby` run found, each re-checked on the
/// primary under its row locks before anything is written (the fix's own lock and target
/// queries, limited to those rows): a row that is no longer a finding there is not written.
enum FixTarget {
    /// Refuses a session connected to a standby: fixes go to the primary.
    static func requirePrimary(_ session: Session) throws {
        if try ServerRecovery.isInRecovery(session) == true {
            throw CommandError("this session is connected to a standby (in recovery): fixes go to the primary; nothing was written",
                               hint: "\\connect to the primary, then \\fix again")
        }
    }

    /// The standby run's findings of `check` (`\check CHECK --on standby` in this session).
    static func standbyFindings(of check: String, context: CommandContext) throws -> StandbyFindings.Entry {
        guard let store = (context.plugin as? any CheckCatalogHolder)?.catalog.standbyFindings,
              let entry = store.entry(for: check) else {
            throw CommandError("--from-standby: \(check) has not run on a standby in this session",
                               hint: "\\check \(check) --on standby first; \\fix \(check) alone finds its rows on the primary")
        }
        guard entry.database == context.session.info.database else {
            throw CommandError("--from-standby: the standby run of \(check) was in database \(entry.database), this session is in \(context.session.info.database)",
                               hint: "\\check \(check) --on standby in this database first")
        }
        return entry
    }

    /// The key values of `rowFix`'s table that `found`'s rows name: through the check's row names
    /// (`-- rows:` of a pack file), the one naming the fix's table and key.
    static func keys(of found: StandbyFindings.Entry, check: CheckDefinition, rowFix: RowFix, session: Session) throws -> [String] {
        let table = try session.execute("SELECT pg_catalog.to_regclass($1)::oid::text", [rowFix.table]).rows.first?[0] ?? nil
        for name in check.rowNames where name.tableColumn == rowFix.key {
            let named = try session.execute("SELECT pg_catalog.to_regclass($1)::oid::text", [name.table]).rows.first?[0] ?? nil
            guard named != nil, named == table, let values = found.values(of: name.column) else { continue }
            return values
        }
        throw CommandError("--from-standby: the findings of \(check.name) do not name rows of \(rowFix.table) by \(rowFix.key); nothing was written",
                           hint: "\\fix \(check.name) without --from-standby finds its rows on the primary")
    }

    /// `ALIAS.KEY` among `keys`, compared as text (a literal: the fix's SQL takes no more parameters).
    static func keyRestriction(alias: String, key: String, keys: [String], session: Session) -> String {
        let elements = keys.map { "\"" + $0.replacingOccurrencesOf("\\", with: "\\\\").replacingOccurrencesOf("\"", with: "\\\"") + "\"" }
        return "\(alias).\(key)::text = ANY (\(session.quoteLiteral("{" + elements.joined(separator: ",") + "}"))::text[])"
    }
}
