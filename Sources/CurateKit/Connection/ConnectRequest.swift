/// What `\connect` was given, turned into the options of the new connection as psql 15 does:
/// `\c [-reuse-previous=on|off] [DBNAME|- [USER|- [HOST|- [PORT|-]]]]` or `\c CONNINFO`.
///
/// By default the previous connection's options are the base (host, port, user, password,
/// sslmode...) and the arguments replace some of them; a connection string or URI starts from
/// libpq's defaults instead (`-reuse-previous` says otherwise). The old password is kept only
/// while user, host and port stay the same (passwords are not per database).
package struct ConnectRequest: Sendable {
    /// `-reuse-previous=on|off`; nil: reuse unless the database is a connection string.
    package var reusePrevious: Bool?
    /// nil for `-` or left out: the previous value.
    package var database: String?
    package var user: String?
    package var host: String?
    package var port: String?

    package init(reusePrevious: Bool? = nil, database: String? = nil, user: String? = nil, host: String? = nil, port: String? = nil) {
        self.reusePrevious = reusePrevious
        self.database = database
        self.user = user
        self.host = host
        self.port = port
    }

    /// The keyword/value pairs to connect with (libpq must not expand `dbname` again).
    /// `previous`: the old connection's options; `defaults`: libpq's. `password`: one typed at a
    /// prompt for this attempt. `clientEncoding`: psql's `auto` at a terminal.
    func options(
        previous: ConnectionOptions?, defaults: () -> ConnectionOptions?, password: String?,
        applicationName: String, clientEncoding: String?
    ) throws(CommandError) -> [(String, String)] {
        let connectionString = database.map(ConnectionOptions.isConnectionString) ?? false
        if connectionString && (user != nil || host != nil || port != nil) {
            throw CommandError("Do not give user, host, or port separately when using a connection string")
        }
        let reuse = reusePrevious ?? !connectionString
        let base: ConnectionOptions
        if reuse {
            guard let previous else { throw CommandError("No database connection exists to re-use parameters from") }
            base = previous
        } else {
            guard let defaults = defaults() else { throw CommandError("out of memory") }
            base = defaults
        }
        var entries = base.entries
        var keepPassword = true
        var sameHost = false
        var database = self.database
        if connectionString, let text = database {
            let replacement = try ConnectionOptions.parse(text)
            var hasPassword = false
            for index in entries.indices {
                guard let new = replacement[entries[index].keyword] else {
                    // Not reusing: libpq recomputes what the string leaves out (so a service
                    // file named in it wins over environment defaults).
                    if !reuse { entries[index].value = nil }
                    continue
                }
                let keyword = entries[index].keyword
                if entries[index].value != new, ["user", "host", "hostaddr", "port"].contains(keyword) { keepPassword = false }
                if keyword == "password" { hasPassword = true }
                entries[index].value = new
            }
            if hasPassword { keepPassword = true }
            database = nil
        } else {
            if let user, base["user"] != user { keepPassword = false }
            if let host {
                if base["host"] == host { sameHost = true } else { keepPassword = false }
            }
            if let port, base["port"] != port { keepPassword = false }
        }

        var result: [(String, String)] = []
        for entry in entries {
            let value: String?
            switch entry.keyword {
            case "dbname" where database != nil: value = database
            case "user" where user != nil: value = user
            case "host" where host != nil: value = host
            case "hostaddr" where host != nil && !sameHost: value = nil  // a new host: the old address goes
            case "port" where port != nil: value = port
            case "password" where password != nil || !keepPassword: value = password
            case "fallback_application_name": value = applicationName
            case "client_encoding" where clientEncoding != nil: value = clientEncoding
            default: value = entry.value
            }
            if let value { result.append((entry.keyword, value)) }
        }
        return result
    }
}
