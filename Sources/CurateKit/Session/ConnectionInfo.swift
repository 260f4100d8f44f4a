/// Who and where the session is connected, for prompts and `\conninfo`. Never holds the password.
public struct ConnectionInfo: Sendable, Equatable {
    public var database: String
    public var user: String
    /// Host name, or the socket directory for a Unix-domain connection.
    public var host: String
    public var hostAddress: String?
    public var port: String
    /// True when `host` is a Unix-socket directory.
    public var isSocket: Bool { host.hasPrefix("/") || host.hasPrefix("@") }
    /// `server_version_num`, e.g. 150018.
    public var serverVersion: Int
    /// `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)".
    public var serverVersionString: String
    public var isSuperuser: Bool
    public var backendPID: Int
    public var usesSSL: Bool

    public init(
        database: String, user: String, host: String, hostAddress: String?, port: String,
        serverVersion: Int, serverVersionString: String, isSuperuser: Bool, backendPID: Int, usesSSL: Bool
    ) {
        self.database = database
        self.user = user
        self.host = host
        self.hostAddress = hostAddress
        self.port = port
        self.serverVersion = serverVersion
        self.serverVersionString = serverVersionString
        self.isSuperuser = isSuperuser
        self.backendPID = backendPID
        self.usesSSL = usesSSL
    }
}
