import CurateTestSupport
import Foundation
import Testing

/// A server that asks for a password: curate asks at a terminal without echo, never prints it,
/// and without a terminal fails with one line and status 2.
@Suite("Passwords", .enabled(if: ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] != nil))
struct PasswordTests {
    let role = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD_ROLE"] ?? ""
    let password = ProcessInfo.processInfo.environment["CURATE_TEST_PASSWORD"] ?? ""

    @Test("at a terminal, the password is asked for without echo and never shown")
    func promptsWithoutEcho() throws {
        let server = try TestServer.fromEnvironment()
        let terminal = try PTYSession(arguments: ["-X", "-h", server.host, "-p", server.port, "-U", role, "-d", "postgres"], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("Password for user \(role): ")
        try terminal.sendLine(password)
        try terminal.waitFor("postgres=> ")
        try terminal.sendLine("\\conninfo")
        try terminal.waitFor("as user \"\(role)\"")
        try terminal.waitFor("postgres=> ")
        #expect(!terminal.rawTranscript.contains(password))
    }

    @Test("a wrong password: one line on stderr, status 2, the password not in it")
    func wrongPassword() throws {
        let server = try TestServer.fromEnvironment()
        let terminal = try PTYSession(arguments: ["-X", "-h", server.host, "-p", server.port, "-U", role, "-d", "postgres"], cols: 200)
        defer { terminal.terminate() }
        try terminal.waitFor("Password for user \(role): ")
        try terminal.sendLine("wrong-\(password)")
        try terminal.waitFor("password authentication failed")
        #expect(try terminal.waitForExit(timeout: 10) == 2)
        #expect(!terminal.rawTranscript.contains(password))
    }

    @Test("without a terminal nothing is asked: one line, status 2")
    func noTerminal() throws {
        let server = try TestServer.fromEnvironment()
        let result = CurateProcess.run(arguments: ["-X", "-h", server.host, "-p", server.port, "-U", role, "-d", "postgres", "-c", "select 1"])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("password"))
    }

    @Test("PGPASSWORD from the environment is used and not echoed anywhere")
    func environmentPassword() throws {
        let server = try TestServer.fromEnvironment()
        let result = CurateProcess.run(
            arguments: ["-X", "-h", server.host, "-p", server.port, "-U", role, "-d", "postgres", "-A", "-t", "-c", "select current_user", "-c", "\\conninfo"],
            environment: ["PGPASSWORD": password]
        )
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix(role + "\n"))
        #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
    }
}
