import CurateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A PostgreSQL cluster of the suite's own with TLS on: a certificate authority made by the test
/// with openssl, a server certificate it signed for `localhost` and `127.0.0.1`, the server
/// listening on 127.0.0.1 (a free port) as well as on its Unix socket.
final class TLSServer: @unchecked Sendable {
    let directory: String
    let certificates: String
    let port: String
    let socketDirectory: String
    /// The CA that signed the server's certificate.
    var caFile: String { certificates + "/ca.pem" }
    /// A CA that signed nothing the server has.
    var wrongCAFile: String { certificates + "/wrong-ca.pem" }

    private init(directory: String, certificates: String, port: String, socketDirectory: String) {
        self.directory = directory
        self.certificates = certificates
        self.port = port
        self.socketDirectory = socketDirectory
    }

    static func start() throws -> TLSServer {
        let directory = try makeFolder("curate-tls")
        let certificates = try makeFolder("curate-tls-certs")
        let port = try freePort()
        let root = CurateBinary.packageRoot.path
        // The CA, the server's key and certificate (CN localhost, SAN localhost and 127.0.0.1),
        // and a second CA that signed nothing. The key is the postgres user's, mode 0600.
        try run("""
            set -e
            cd "$1"
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=curate test CA" \
                -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
                -keyout ca.key -out ca.pem 2>/dev/null
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=curate wrong CA" \
                -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
                -keyout wrong-ca.key -out wrong-ca.pem 2>/dev/null
            openssl req -new -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
                -extfile server.ext -out server.crt 2>/dev/null
            chmod 600 server.key
            if [ "$(id -u)" -eq 0 ]; then
                chown postgres: server.key server.crt
                chmod 755 .
                chown postgres: "$2"
                chmod 700 "$2"
            fi
            """, [certificates, directory])
        let options = "-c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file=\(certificates)/server.crt "
            + "-c ssl_key_file=\(certificates)/server.key"
        try run(". \"$1/scripts/pgserver.sh\" && pgserver_start \"$2\" >/dev/null",
                [root, directory], environment: Self.sslServerPrograms.merging(["PGSERVER_PORT": port, "PGSERVER_OPTS": options]) { _, new in new })
        let socketDirectory = try String(contentsOfFile: directory + "/sockdir", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return TLSServer(directory: directory, certificates: certificates, port: port, socketDirectory: socketDirectory)
    }

    /// Stops the server and removes its folders. Never throws.
    func shutdown() {
        try? Self.run(". \"$1/scripts/pgserver.sh\" && pgserver_stop \"$2\"", [CurateBinary.packageRoot.path, directory],
                      environment: Self.sslServerPrograms)
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: certificates)
    }

    /// The server programs beside the reference psql (Debian's): TLS needs a server built with SSL,
    /// which the PyPI build of PostgreSQL 18 is not; what is tested is libpq's side and curate's.
    static var sslProgramsFolder: String { URL(fileURLWithPath: TestServer.psqlPath).deletingLastPathComponent().path }
    static var sslServerPrograms: [String: String] { ["PG_BINDIR": sslProgramsFolder] }

    /// The end of the server log (for a failing test's message).
    var logTail: String {
        let text = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(20).joined(separator: "\n")
    }

    private static func run(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        env.merge(environment) { _, new in new }
        // Output to a file, not a pipe: the server started in the background could hold a pipe open.
        let outputFile = NSTemporaryDirectory() + "curate-tls-step-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["/bin/bash", "-c", script, "bash"] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp) == 0 else {
            throw TestSupportError.spawnFailed("TLSServer: cannot start bash")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let output = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
            throw TestSupportError.spawnFailed("TLSServer: a step failed (wait status \(status)):\n" + output)
        }
    }

    private static func makeFolder(_ name: String) throws -> String {
        var template = Array("/tmp/\(name).XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestSupportError.spawnFailed("mkdtemp /tmp/\(name).XXXXXX failed")
        }
        return String(cString: made)
    }

    /// A TCP port on 127.0.0.1 that nothing listens on (the kernel picks it).
    private static func freePort() throws -> String {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw TestSupportError.spawnFailed("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw TestSupportError.spawnFailed("bind(127.0.0.1:0) failed") }
        return String(UInt16(bigEndian: address.sin_port))
    }
}

/// A server with TLS on: curate connects with `sslmode=require` and `verify-full`, says so in
/// `\conninfo` as psql does, refuses a server whose certificate a wrong CA cannot verify, and the
/// programs it starts (pg_dump) connect as securely as the session.
@Suite("TLS: sslmode=require and verify-full against a server with a test CA", .serialized)
struct TLSTests {
    /// The connection string for the TLS server's TCP listener.
    private func connection(_ server: TLSServer, host: String, _ extra: String, database: String = "postgres") -> String {
        "host=\(host) port=\(server.port) user=postgres dbname=\(database) \(extra)"
    }

    private func withServer(_ body: (TLSServer) throws -> Void) throws {
        let server = try TLSServer.start()
        defer { server.shutdown() }
        try body(server)
    }

    @Test("sslmode=require and verify-full (host localhost and 127.0.0.1): encrypted, \\conninfo says so; a wrong CA is refused")
    func encryptedConnections() throws {
        try withServer { server in
            let cases = [
                ("127.0.0.1", "sslmode=require"),
                ("localhost", "sslmode=verify-full sslrootcert=\(server.caFile)"),
                ("127.0.0.1", "sslmode=verify-full sslrootcert=\(server.caFile)"),
            ]
            for (host, extra) in cases {
                let result = CurateProcess.run(
                    arguments: ["-X", "-d", connection(server, host: host, extra), "-c", "\\conninfo",
                                "-A", "-t", "-c", "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()"])
                #expect(result.status == 0, "\(extra): \(result)\n\(server.logTail)")
                #expect(result.stdout.contains("on host \"\(host)\""), "\(result)")
                #expect(result.stdout.contains("SSL connection (protocol: TLSv1."), "\(result)")
                #expect(result.stdout.contains(", cipher: "), "\(result)")
                #expect(result.stdout.contains("compression: off)"), "\(result)")
                // The server agrees: this backend's connection is encrypted.
                #expect(result.stdout.contains("\nt|TLSv1."), "\(result)")
            }

            // Without TLS (sslmode=disable) \conninfo has no SSL line.
            let plain = CurateProcess.run(arguments: ["-X", "-d", connection(server, host: "127.0.0.1", "sslmode=disable"), "-c", "\\conninfo"])
            #expect(plain.status == 0, "\(plain)")
            #expect(!plain.stdout.contains("SSL connection"), "\(plain)")

            // verify-full against a CA that did not sign the server's certificate: refused, one clear line.
            let wrong = CurateProcess.run(
                arguments: ["-X", "-d", connection(server, host: "localhost", "sslmode=verify-full sslrootcert=\(server.wrongCAFile)"),
                            "-c", "select 1"])
            #expect(wrong.status == 2, "\(wrong)")
            #expect(wrong.stderr.hasPrefix("curate: error: "), "\(wrong)")
            #expect(wrong.stderr.contains("certificate verify failed"), "\(wrong)")
            #expect(wrong.stderr.split(separator: "\n").count == 1, "\(wrong)")
            #expect(wrong.stdout.isEmpty)

            // verify-full with a host name the certificate does not name: refused too.
            let misnamed = CurateProcess.run(
                arguments: ["-X", "-d", "host=curate-not-the-server.example hostaddr=127.0.0.1 port=\(server.port) user=postgres "
                            + "dbname=postgres sslmode=verify-full sslrootcert=\(server.caFile)", "-c", "select 1"])
            #expect(misnamed.status == 2, "\(misnamed)")
            #expect(misnamed.stderr.contains("does not match host name"), "\(misnamed)")
        }
    }

    @Test("\\backup over verify-full: pg_dump connects with the session's sslmode and root certificate")
    func backupKeepsVerification() throws {
        try withServer { server in
            let folder = NSTemporaryDirectory() + "curate-tls-backup-\(getpid())-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let bin = folder + "-bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: bin) }
            // The client programs of the TLS server's version, built with SSL as it is.
            let real = TLSServer.sslProgramsFolder
            let wrapper = """
                #!/bin/sh
                echo "RUN $(basename "$0") PGSSLMODE=${PGSSLMODE:-} PGSSLROOTCERT=${PGSSLROOTCERT:-}" >> \(bin)/log
                exec \(real)/$(basename "$0") "$@"
                """
            for tool in ["pg_dump", "pg_restore", "psql", "pg_dumpall"] {
                _ = FileManager.default.createFile(atPath: bin + "/" + tool, contents: Data(wrapper.utf8),
                                                   attributes: [.posixPermissions: 0o755])
            }
            let result = CurateProcess.run(
                arguments: ["-X", "-d", connection(server, host: "localhost", "sslmode=verify-full sslrootcert=\(server.caFile)"),
                            "-c", "\\backup --dir \(folder)"],
                environment: ["CURATE_PGBIN": bin], mode: .combined, timeout: 300)
            #expect(result.status == 0, "\(result)")
            #expect(result.combined.contains("verified"), "\(result)")
            let log = try String(contentsOfFile: bin + "/log", encoding: .utf8)
            #expect(log.contains("RUN pg_dump PGSSLMODE=verify-full PGSSLROOTCERT=\(server.caFile)"), "\(log)")
        }
    }
}
