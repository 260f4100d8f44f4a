/// The PostgreSQL server versions curate supports: 13 to 18. curate's catalog queries (describe
/// commands, checks, backups) are written and tested for these; a server outside the range is
/// refused when the connection is made, with what to do, rather than failing later on a query.
public enum SupportedServerVersions {
    /// The oldest supported major version.
    public static let oldest = 13
    /// The newest supported major version.
    public static let newest = 18

    /// Why a server of `version` (`PQserverVersion`'s number, e.g. 150018) cannot be used, or nil
    /// when it can.
    public static func refusal(serverVersion version: Int, versionText: String) -> String? {
        let major = version / 10000
        let shown = versionText.isEmpty ? "\(major)" : versionText
        if major < oldest {
            return "the server runs PostgreSQL \(shown); curate supports PostgreSQL \(oldest) to \(newest): "
                + "upgrade the server, or use psql for this one"
        }
        if major > newest {
            return "the server runs PostgreSQL \(shown), newer than curate knows (it supports PostgreSQL \(oldest) to \(newest)): "
                + "install a newer curate, or use the psql of the server's version"
        }
        return nil
    }
}
