/// Who and where the session is connected, for prompts and `\conninfo`. Never holds the password.
public struct ConnectionInfo: Sendable, Equatable {
    /// The database connected to.
    public var database: String
    /// The role connected as.
    public var user: String
    /// Host name, or the socket directory for a Unix-domain connection.
    public var host: String
    /// The server's numeric address (`hostaddr`), when connected over TCP.
    public var hostAddress: String?
    /// The server's port (also the socket file's number for a Unix-domain connection).
    public var port: String
    /// True when `host` is a Unix-socket directory.
    public var isSocket: Bool { host.hasPrefix("/") || host.hasPrefix("@") }
    /// `server_version_num`, e.g. 150018.
    public var serverVersion: Int
    /// `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)".
    public var serverVersionString: String
    /// True when the role is a superuser (the prompt then ends in `#`).
    public var isSuperuser: Bool
    /// The server process serving the session (`pg_backend_pid()`).
    public var backendPID: Int
    /// True when the connection is encrypted with SSL/TLS.
    public var usesSSL: Bool
    /// The TLS protocol of an encrypted connection, e.g. `TLSv1.3`.
    public var sslProtocol: String?
    /// The cipher of an encrypted connection, e.g. `TLS_AES_256_GCM_SHA384`.
    public var sslCipher: String?
    /// Whether an encrypted connection compresses (`on`/`off`, as libpq says).
    public var sslCompression: String?

    /// Every field given; the session makes these, a test may too.
    public init(
        database: String, user: String, host: String, hostAddress: String?, port: String,
        serverVersion: Int, serverVersionString: String, isSuperuser: Bool, backendPID: Int, usesSSL: Bool,
        sslProtocol: String? = nil, sslCipher: String? = nil, sslCompression: String? = nil
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
        self.sslProtocol = sslProtocol
        self.sslCipher = sslCipher
        self.sslCompression = sslCompression
    }
}
