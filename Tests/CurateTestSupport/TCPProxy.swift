import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback TCP proxy in front of a PostgreSQL server that can cut every connection through
/// it on command, as a network failure would: the client and the server each see their
/// connection closed. New connections are accepted and forwarded again afterwards, so a
/// client can reconnect through the same address.
///
///     let proxy = try TCPProxy(upstream: .unixSocket("/tmp/curate-pg.x/.s.PGSQL.5432"))
///     defer { proxy.close() }
///     // curate -d "host=127.0.0.1 port=\(proxy.port) dbname=..."
///     proxy.dropAll()                        // now
///     proxy.dropAll(afterServerBytes: 1 << 20)  // once 1 MiB more has come from the server
///
/// One thread accepts, two threads per connection copy bytes (one each way); no dependencies.
public final class TCPProxy: @unchecked Sendable {
    /// Where the proxy connects for each client.
    public enum Upstream: Sendable {
        /// A Unix socket file (`SOCKETDIR/.s.PGSQL.PORT`).
        case unixSocket(String)
        /// A TCP address (a host name or a numeric address).
        case tcp(host: String, port: Int)
    }

    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    public let host = "127.0.0.1"
    public let upstream: Upstream

    private let listenFD: Int32
    private let lock = NSLock()
    private let threads = DispatchGroup()
    private var links: [Int: Link] = [:]
    private var nextLinkID = 0
    private var closed = false
    private var acceptedCount = 0
    private var droppedCount = 0
    /// Armed by `dropAll(afterServerBytes:)`: bytes still to pass from the server before the cut.
    private var cutCountdown: Int?
    private var stalling = false
    private var withholding = false
    /// Clients accepted while stalling: held open, never answered.
    private var stalledClients: [Int32] = []
    /// Set by `hideParameterStatus(_:)`: the parameter whose reports connections made after it never see.
    private var hiddenParameter: String?

    /// One client connection and its upstream connection.
    private final class Link: @unchecked Sendable {  // pumpsRunning is changed under the proxy's lock only
        let id: Int
        let client: Int32
        let server: Int32
        var pumpsRunning = 2
        init(id: Int, client: Int32, server: Int32) {
            self.id = id
            self.client = client
            self.server = server
        }
    }

    /// Listens on 127.0.0.1 on a free port and starts accepting.
    public init(upstream: Upstream) throws {
        self.upstream = upstream
        _ = Subprocess.ignoreSIGPIPE
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError.spawnFailed("TCPProxy: socket: \(Subprocess.errnoText())") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let text = Subprocess.errnoText()
            systemClose(fd)
            throw TestSupportError.spawnFailed("TCPProxy: bind/listen on 127.0.0.1: \(text)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        threads.enter()
        let acceptor = Thread { [self] in
            acceptLoop()
            threads.leave()
        }
        acceptor.name = "TCPProxy accept"
        acceptor.start()
    }

    deinit {
        close()
    }

    // MARK: Commands

    /// Connections accepted so far.
    public var accepted: Int { lock.withLock { acceptedCount } }
    /// Connections open now.
    public var openConnections: Int { lock.withLock { links.count } }
    /// Connections cut by `dropAll` so far.
    public var dropped: Int { lock.withLock { droppedCount } }

    /// Cuts every open connection now: both ends are shut down, so the client reads the end of
    /// its connection and the server finds its client gone. Returns how many were cut.
    @discardableResult
    public func dropAll() -> Int {
        lock.withLock {
            cutCountdown = nil
            for link in links.values {
                shutdown(link.client, Int32(SHUT_RDWR))
                shutdown(link.server, Int32(SHUT_RDWR))
            }
            for client in stalledClients { systemClose(client) }
            let count = links.count + stalledClients.count
            stalledClients.removeAll()
            droppedCount += count
            return count
        }
    }

    /// While true, what the server sends is read and thrown away instead of reaching the
    /// clients: the server's answers are lost on the way, as when the network fails just after
    /// a statement was sent (the server runs it; the client never hears back).
    public var withholdsServerBytes: Bool {
        get { lock.withLock { withholding } }
        set { lock.withLock { withholding = newValue } }
    }

    /// While true, new connections are accepted but never forwarded nor answered: a server (or
    /// a network) that has stopped responding, as far as a connecting client can tell.
    public var stalled: Bool {
        get { lock.withLock { stalling } }
        set { lock.withLock { stalling = newValue } }
    }

    /// Cuts every open connection once `bytes` more bytes have passed from the server to the
    /// clients (in the middle of a result, when the result is longer), once.
    public func dropAll(afterServerBytes bytes: Int) {
        lock.withLock { cutCountdown = bytes }
    }

    /// Stops accepting, cuts every connection and waits for the threads to end.
    public func close() {
        let wasClosed = lock.withLock { () -> Bool in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        dropAll()
        if threads.wait(timeout: .now() + 10) == .timedOut {
            FileHandle.standardError.write(Data("warning: TCPProxy: threads still running after close\n".utf8))
            return  // leave the listening descriptor open rather than close it under a thread
        }
        systemClose(listenFD)
    }

    // MARK: Threads

    private func acceptLoop() {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                if lock.withLock({ closed }) { return }
                usleep(10_000)  // EMFILE and the like: try again
                continue
            }
            if lock.withLock({ closed }) {
                systemClose(client)
                return
            }
            let held = lock.withLock { () -> Bool in
                guard stalling else { return false }
                stalledClients.append(client)
                acceptedCount += 1
                return true
            }
            if held { continue }
            var noDelay: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            let server = connectUpstream()
            guard server >= 0 else {
                systemClose(client)  // the client sees the server refuse, as it would without the proxy
                continue
            }
            let link = lock.withLock { () -> Link in
                nextLinkID += 1
                let link = Link(id: nextLinkID, client: client, server: server)
                links[link.id] = link
                acceptedCount += 1
                return link
            }
            for (from, to, fromServer) in [(client, server, false), (server, client, true)] {
                threads.enter()
                let pump = Thread { [self] in
                    copy(link, from: from, to: to, fromServer: fromServer)
                    threads.leave()
                }
                pump.name = "TCPProxy \(fromServer ? "server->client" : "client->server") \(link.id)"
                pump.start()
            }
        }
    }

    /// Connections accepted from now on never see the server report `parameter` (ParameterStatus),
    /// as with a server that does not report it; see `ParameterStatusFilter` (no TLS then).
    public func hideParameterStatus(_ parameter: String) {
        lock.withLock { hiddenParameter = parameter }
    }

    /// Copies bytes one way until either side ends; then ends both (a close is passed on).
    private func copy(_ link: Link, from: Int32, to: Int32, fromServer: Bool) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        let hidden = fromServer ? lock.withLock { hiddenParameter } : nil
        var filter = hidden.map { ParameterStatusFilter(parameter: $0) }
        copying: while true {
            let received = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
            if received < 0 && errno == EINTR { continue }
            if received <= 0 { break }
            if fromServer && lock.withLock({ withholding }) { continue }
            let outgoing = filter?.pass(buffer[..<received]) ?? Array(buffer[..<received])
            let count = outgoing.count
            var offset = 0
            while offset < count {
                let written = outgoing.withUnsafeBytes { send(to, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL)) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break copying }
                offset += written
            }
            if fromServer {
                let cut = lock.withLock { () -> Bool in
                    guard let left = cutCountdown else { return false }
                    cutCountdown = left - count
                    return left - count <= 0
                }
                if cut {
                    dropAll()
                    break
                }
            }
        }
        lock.withLock {
            shutdown(link.client, Int32(SHUT_RDWR))
            shutdown(link.server, Int32(SHUT_RDWR))
            link.pumpsRunning -= 1
            if link.pumpsRunning == 0 {
                // Closed under the lock, so that dropAll never shuts down a reused descriptor.
                systemClose(link.client)
                systemClose(link.server)
                links.removeValue(forKey: link.id)
            }
        }
    }

    /// A new connection to the upstream server, or -1.
    private func connectUpstream() -> Int32 {
        switch upstream {
        case .unixSocket(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return -1 }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
                systemClose(fd)
                return -1
            }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
                raw[bytes.count] = 0
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if connected != 0 {
                systemClose(fd)
                return -1
            }
            return fd
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var found: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else { return -1 }
            defer { freeaddrinfo(first) }
            var candidate: UnsafeMutablePointer<addrinfo>? = first
            while let info = candidate {
                let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
                if fd >= 0 {
                    if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                        var noDelay: Int32 = 1
                        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
                        return fd
                    }
                    systemClose(fd)
                }
                candidate = info.pointee.ai_next
            }
            return -1
        }
    }
}

/// close(2), reachable inside TCPProxy (whose own `close()` hides it).
private func systemClose(_ fd: Int32) {
    _ = close(fd)
}
