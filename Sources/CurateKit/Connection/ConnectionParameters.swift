/// What the session connects with: psql's options, handed to libpq as keyword/value pairs.
///
/// `database` may be a plain name, a `key=value` connection string or a `postgresql://` URI;
/// libpq expands it (`expand_dbname`), and fills whatever is unset from `PG*` variables,
/// the service file and its defaults. The password is kept out of the public API.
package struct ConnectionParameters: Sendable {
    /// `-d`: a database name, a `key=value` connection string or a `postgresql://` URI.
    package var database: String?
    /// `-h`: a host name, an address, or a Unix-socket folder.
    package var host: String?
    /// `-p`: the port.
    package var port: String?
    /// `-U`: the role to connect as.
    package var user: String?
    /// `application_name`, as `pg_stat_activity` shows the session.
    package var applicationName: String = "curate"
    /// psql asks the server for the terminal's encoding only when interactive.
    package var clientEncodingAuto: Bool = false
    /// Typed at a prompt; only the session and the child programs it starts see it.
    package var password: String?
    /// The TLS and timeout options the session connected with (`sslmode`, `sslrootcert`, ...),
    /// for the programs it starts; filled by `Session.connectionParameters`.
    package var optionsInUse: [String: String] = [:]
    /// Set by `\connect`: the exact options to connect with (merged as psql merges them), used
    /// instead of the fields above; `dbname` is not expanded again. Holds the password.
    package var exactOptions: [ConnectionOptions.Entry]?
    /// libpq's message joined into one line (at startup); `\connect` prints it as psql does.
    package var oneLineErrors = true

    /// Parameters as psql's `-d`, `-h`, `-p`, `-U`; nil leaves each to libpq's defaults.
    package init(database: String? = nil, host: String? = nil, port: String? = nil, user: String? = nil) {
        self.database = database
        self.host = host
        self.port = port
        self.user = user
    }

    /// keyword/value pairs for `PQconnectdbParams`, in libpq's order of precedence.
    var keywordValues: [(String, String)] {
        var pairs: [(String, String)] = []
        if let host { pairs.append(("host", host)) }
        if let port { pairs.append(("port", port)) }
        if let user { pairs.append(("user", user)) }
        if let password { pairs.append(("password", password)) }
        // dbname last among the explicit ones: when it is a connection string, libpq lets its
        // contents override what came before, as psql does for `-d`.
        if let database { pairs.append(("dbname", database)) }
        pairs.append(("fallback_application_name", applicationName))
        if clientEncodingAuto { pairs.append(("client_encoding", "auto")) }
        return pairs
    }
}

/// Reflection and printing never show the password: a plugin that mirrors or dumps the session
/// (or these parameters) sees only whether there is one.
extension ConnectionParameters: CustomReflectable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The parameters without the password: `hasPassword` says whether there is one.
    package var customMirror: Mirror {
        Mirror(self, children: [
            "database": database as Any, "host": host as Any, "port": port as Any, "user": user as Any,
            "applicationName": applicationName, "clientEncodingAuto": clientEncodingAuto, "hasPassword": password != nil,
        ], displayStyle: .struct)
    }

    /// `ConnectionParameters(database: ..., password: hidden)`.
    package var description: String {
        "ConnectionParameters(database: \(database ?? "nil"), host: \(host ?? "nil"), port: \(port ?? "nil"), "
            + "user: \(user ?? "nil"), password: \(password == nil ? "none" : "hidden"))"
    }

    /// The same as `description`.
    package var debugDescription: String { description }
}
