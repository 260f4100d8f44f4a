import CTestPTY
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// curate running in a pseudo-terminal, driven like a person at a keyboard.
///
///     let session = try PTYSession(arguments: db.curateArguments)
///     defer { session.terminate() }
///     try session.waitFor("=>")
///     try session.sendLine("select count(*) from file;")
///     try session.waitFor("200")
///     try session.sendControl("d")
///     #expect(try session.waitForExit() == 0)
///
/// `waitFor` searches only what arrived after the previous match, so waiting
/// for the prompt twice waits for two prompts. When it times out (or curate
/// ends first) it throws an error whose description holds everything the
/// session printed, escape sequences stripped.
public final class PTYSession {
    public let pid: pid_t
    public private(set) var rows: Int
    public private(set) var cols: Int
    /// The private HOME folder (history files land here); removed by `terminate()`.
    public let home: URL

    private var masterFD: Int32
    private var raw = Data()
    /// UTF-8 length of the stripped transcript up to the end of the last match.
    private var consumed = 0
    private var exitStatus: Int32?
    private var eof = false
    public let defaultTimeout: TimeInterval

    /// Starts curate (or `executable`) with `arguments` on a rows x cols
    /// terminal, TERM=xterm, HOME a new temporary folder; `environment` on top
    /// of the test runner's environment (without PG* variables).
    public init(
        arguments: [String],
        rows: Int = 24,
        cols: Int = 80,
        environment: [String: String] = [:],
        executable: URL? = nil,
        defaultTimeout: TimeInterval = 20
    ) throws {
        let binary = (executable ?? CurateBinary.url).path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError.spawnFailed(
                "PTYSession: no executable at \(binary) (build it with `swift build`, or set CURATE_BIN)")
        }
        _ = Subprocess.ignoreSIGPIPE
        let home = FileManager.default.temporaryDirectory
            .appendingPathComponent("curate-pty-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)

        var env = Subprocess.baseEnvironment()
        env["TERM"] = "xterm"
        env["HOME"] = home.path
        // A terminal user as curate meets one: the runner's own NO_COLOR (set by some test
        // harnesses) must not leak in; a test that wants it passes it in `environment`.
        env.removeValue(forKey: "NO_COLOR")
        env.removeValue(forKey: "COLUMNS")
        env.removeValue(forKey: "LINES")
        env.merge(environment) { _, new in new }

        var master: Int32 = -1
        let pid = Subprocess.withCStrings([binary] + arguments) { argv in
            Subprocess.withCStrings(env.map { "\($0.key)=\($0.value)" }.sorted()) { envp in
                curate_pty_spawn(binary, argv, envp, Int32(rows), Int32(cols), &master)
            }
        }
        guard pid > 0 else {
            try? FileManager.default.removeItem(at: home)
            throw TestSupportError.spawnFailed("PTYSession: forkpty failed: \(Subprocess.errnoText())")
        }
        self.pid = pid
        self.masterFD = master
        self.rows = rows
        self.cols = cols
        self.home = home
        self.defaultTimeout = defaultTimeout
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        terminate()
    }

    // MARK: - Output

    /// Everything printed so far, as raw text (escape sequences included).
    public var rawTranscript: String {
        pump(for: 0)
        return String(decoding: raw, as: UTF8.self)
    }

    /// Everything printed so far, escape sequences and CRs stripped.
    public var transcript: String {
        pump(for: 0)
        return ANSI.strip(String(decoding: raw, as: UTF8.self))
    }

    /// An approximation of the screen: the last `rows` lines of the transcript.
    public var screen: String {
        let lines = transcript.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.suffix(rows).joined(separator: "\n")
    }

    /// What arrived after the last `waitFor` match (stripped).
    public var unconsumed: String {
        let text = transcript
        return String(decoding: text.utf8.dropFirst(consumed), as: UTF8.self)
    }

    /// Waits until `text` appears in the output after the previous match;
    /// returns the output from there to the end of the match.
    @discardableResult
    public func waitFor(_ text: String, timeout: TimeInterval? = nil) throws -> String {
        let limit = timeout ?? defaultTimeout
        let deadline = Date().addingTimeInterval(limit)
        while true {
            let stripped = ANSI.strip(String(decoding: raw, as: UTF8.self))
            let rest = String(decoding: stripped.utf8.dropFirst(consumed), as: UTF8.self)
            if let range = rest.range(of: text) {
                let upTo = String(rest[rest.startIndex..<range.upperBound])
                consumed += upTo.utf8.count
                return upTo
            }
            if eof {
                throw TestSupportError.ptyTimeout(waitingFor: text, seconds: limit, exited: true, seen: stripped)
            }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                throw TestSupportError.ptyTimeout(waitingFor: text, seconds: limit, exited: false, seen: stripped)
            }
            pump(for: min(remaining, 0.25))
        }
    }

    /// Reads whatever the program prints for `seconds` (or until it ends).
    public func drain(for seconds: TimeInterval) {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            pump(for: max(0, min(deadline.timeIntervalSinceNow, 0.25)))
        } while !eof && Date() < deadline
    }

    // MARK: - Input

    /// Types `text` (no newline added).
    public func send(_ text: String) throws {
        try write(Data(text.utf8))
    }

    /// Types `text` and Enter (a carriage return, as a terminal sends it).
    public func sendLine(_ text: String) throws {
        try write(Data((text + "\r").utf8))
    }

    /// Sends a control character: either the character itself ("\u{3}") or
    /// its letter ("c" or "C" for Ctrl-C, "d" for Ctrl-D, "[" for Escape).
    public func sendControl(_ c: Character) throws {
        guard let ascii = c.asciiValue else {
            throw TestSupportError.ptyWriteFailed("sendControl: \(String(reflecting: c)) is not ASCII", seen: transcript)
        }
        let byte: UInt8 = ascii < 0x20 || ascii == 0x7F ? ascii : ascii & 0x1F
        try write(Data([byte]))
    }

    /// Ctrl-D at curate's prompt, to end the session. The prompt can be drawn a moment before
    /// libedit's raw mode is in force, and a Ctrl-D typed ahead of that is taken by the tty as
    /// end-of-line, not as a key: wait for raw mode first.
    public func sendControlDAtPrompt() throws {
        try waitForRawMode()
        try sendControl("d")
    }

    /// Waits until the line editor has the terminal in raw mode (canonical input off), so that
    /// a control key typed next reaches it as a key. On Linux the master side reports the
    /// terminal's settings, which the program sets on its side.
    public func waitForRawMode(timeout: TimeInterval? = nil) throws {
        let limit = timeout ?? defaultTimeout
        let deadline = Date().addingTimeInterval(limit)
        var settings = termios()
        while true {
            if masterFD >= 0, tcgetattr(masterFD, &settings) == 0, settings.c_lflag & tcflag_t(ICANON) == 0 { return }
            if eof || deadline.timeIntervalSinceNow <= 0 {
                throw TestSupportError.ptyTimeout(waitingFor: "raw mode", seconds: limit, exited: eof,
                                                  seen: ANSI.strip(String(decoding: raw, as: UTF8.self)))
            }
            pump(for: 0.02)
        }
    }

    /// Changes the terminal size; the program gets SIGWINCH.
    public func resize(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        if masterFD >= 0 {
            _ = curate_pty_resize(masterFD, Int32(rows), Int32(cols))
        }
    }

    private func write(_ data: Data) throws {
        guard masterFD >= 0 else {
            throw TestSupportError.ptyWriteFailed("the session is closed", seen: transcript)
        }
        var pending = data
        let deadline = Date().addingTimeInterval(defaultTimeout)
        while !pending.isEmpty {
            let n = pending.withUnsafeBytes { systemWrite(masterFD, $0.baseAddress, $0.count) }
            if n > 0 {
                pending.removeFirst(n)
                continue
            }
            if n < 0 && errno != EAGAIN && errno != EINTR {
                throw TestSupportError.ptyWriteFailed("write failed: \(Subprocess.errnoText())", seen: transcript)
            }
            if Date() >= deadline {
                throw TestSupportError.ptyWriteFailed("the program reads no input", seen: transcript)
            }
            // The terminal's input queue is full: let the program read (and print).
            pump(for: 0.05)
        }
    }

    // MARK: - Ending

    /// True until the program has ended (and been reaped).
    public var isRunning: Bool {
        if exitStatus == nil, let status = Subprocess.reap(pid, block: false) { exitStatus = status }
        return exitStatus == nil
    }

    /// Waits for the program to end (reading its output meanwhile) and returns
    /// its exit code (128 + signal when a signal ended it). Throws, with the
    /// transcript, when it is still running at the timeout.
    @discardableResult
    public func waitForExit(timeout: TimeInterval? = nil) throws -> Int32 {
        let limit = timeout ?? defaultTimeout
        let deadline = Date().addingTimeInterval(limit)
        while true {
            if let status = exitStatus { return status }
            if let status = Subprocess.reap(pid, block: false) {
                exitStatus = status
                pump(for: 0)  // what it printed last
                return status
            }
            if Date() >= deadline {
                throw TestSupportError.ptyExitTimeout(seconds: limit, seen: transcript)
            }
            pump(for: min(max(deadline.timeIntervalSinceNow, 0), 0.05))
        }
    }

    /// Ends the program if it still runs (SIGTERM, then SIGKILL after 2 s),
    /// closes the terminal and removes the private HOME. Safe to call twice.
    public func terminate() {
        if exitStatus == nil {
            if Subprocess.reap(pid, block: false) == nil {
                kill(pid, SIGTERM)
                let deadline = Date().addingTimeInterval(2)
                while Date() < deadline {
                    if let status = Subprocess.reap(pid, block: false) {
                        exitStatus = status
                        break
                    }
                    pump(for: 0.02)
                }
                if exitStatus == nil {
                    kill(pid, SIGKILL)
                    exitStatus = Subprocess.reap(pid, block: true)
                }
            } else {
                exitStatus = exitStatus ?? -1
            }
        }
        if masterFD >= 0 {
            pump(for: 0)
            close(masterFD)
            masterFD = -1
        }
        try? FileManager.default.removeItem(at: home)
    }

    // MARK: - Reading

    /// Reads from the terminal for up to `seconds` (returns sooner once
    /// something arrived and nothing more is immediately available).
    private func pump(for seconds: TimeInterval) {
        guard masterFD >= 0, !eof else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var waitMs = Int32(max(0, seconds * 1000))
        while true {
            var fds = [pollfd(fd: masterFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 1, waitMs)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if ready == 0 { return }
            let n = buffer.withUnsafeMutableBytes { read(masterFD, $0.baseAddress, $0.count) }
            if n > 0 {
                raw.append(contentsOf: buffer[0..<n])
                waitMs = 0  // take what is there, then return
                continue
            }
            if n < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            // 0 or EIO: every slave descriptor is closed — the program has ended.
            eof = true
            return
        }
    }
}

/// write(2), reachable from inside PTYSession (whose own `write` hides it).
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
