import ArgumentParser
import CurateKit
import Foundation

/// `\connect` (`\c`): a new connection, made as psql 15 makes it (see `ConnectRequest`), that
/// replaces the session's once it works. Refused while a transaction is open: psql would drop
/// it silently with the old connection.
struct ConnectCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Connect to a new database: \\connect [-reuse-previous=on|off] [DBNAME|- [USER|- [HOST|- [PORT|-]]]] | CONNINFO.")

    @Argument(parsing: .allUnrecognized, help: "DBNAME USER HOST PORT (- keeps the current one), or a connection string or URI.")
    var words: [String] = []

    func run(shell: Shell) throws { try Connector(name: "connect", words: words).run(shell: shell) }
}

/// `\c`, the short name of `\connect`.
struct ConnectShortCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "c",
        abstract: "Connect to a new database (the short name of \\connect).")

    @Argument(parsing: .allUnrecognized, help: "DBNAME USER HOST PORT (- keeps the current one), or a connection string or URI.")
    var words: [String] = []

    func run(shell: Shell) throws { try Connector(name: "c", words: words).run(shell: shell) }
}

extension ConnectCommand {
    /// Both names the command answers to.
    static let names: Set<String> = ["c", "connect"]
}

extension InputItem {
    var isConnectCommand: Bool {
        if case .command(let invocation) = self { return ConnectCommand.names.contains(invocation.name) }
        return false
    }
}

/// What `\c` and `\connect` share.
private struct Connector {
    /// The name the command was typed with (psql's messages use it).
    let name: String
    let words: [String]

    func run(shell: Shell) throws {
        guard let frame = shell.frames.last else { return }
        var words = words
        var reuse: Bool?
        let prefix = "-reuse-previous="
        if let first = words.first, first.hasPrefix(prefix) {
            let value = String(first.dropFirst(prefix.count))
            guard let parsed = Variables.parseBool(value) else {
                throw ShellFailure("unrecognized value \"\(value)\" for \"-reuse-previous\": Boolean expected")
            }
            reuse = parsed
            words.removeFirst()
        }
        // `-` (or nothing) keeps the previous value; a quoted "" is an empty value, as in psql.
        let given = words.prefix(4).map { $0 == "-" ? nil : $0 }
        func argument(_ index: Int) -> String? { index < given.count ? given[index] : nil }
        let request = ConnectRequest(reusePrevious: reuse, database: argument(0), user: argument(1), host: argument(2), port: argument(3))

        let session = shell.session
        if session.isConnected, session.transactionState.isOpen {
            throw ShellFailure(
                "\\\(name): a transaction is open; COMMIT or ROLLBACK it first (a new connection would lose it: nothing of it is committed)")
        }

        let before = session.info
        let wasConnected = session.isConnected
        var password: String?
        while true {
            let parameters: ConnectionParameters
            do {
                parameters = try session.connectParameters(for: request, password: password)
            } catch {
                throw ShellFailure(error.message)
            }
            do {
                try session.replaceConnection(with: parameters)
                break
            } catch where error.kind == .passwordRequired && password == nil {
                let user = parameters.exactOptions?.first { $0.keyword == "user" }?.value
                    ?? ProcessInfo.processInfo.environment["PGUSER"] ?? NSUserName()
                guard let typed = PasswordPrompt.read(prompt: "Password for user \(user): ") else {
                    return failed(error, shell: shell, frame: frame)
                }
                password = typed
            } catch {
                return failed(error, shell: shell, frame: frame)
            }
        }

        shell.connectionReplaced()
        for extra in words.dropFirst(4) {
            shell.warn("\\\(name): extra argument \"\(extra)\" ignored", in: frame)
        }
        guard !shell.variables.bool("QUIET", default: false) else { return }
        let info = session.info
        let lead = "You are now connected to database \"\(info.database)\" as user \"\(info.user)\""
        let moved = !wasConnected || before.host != info.host || before.port != info.port
        let text: String
        if !moved {
            text = lead + "."
        } else if info.isSocket {
            text = lead + " via socket in \"\(info.host)\" at port \"\(info.port)\"."
        } else if let address = info.hostAddress, address != info.host {
            text = lead + " on host \"\(info.host)\" (address \"\(address)\") at port \"\(info.port)\"."
        } else {
            text = lead + " on host \"\(info.host)\" at port \"\(info.port)\"."
        }
        shell.console.writeStandardOutput(text + "\n")
        if shell.isInteractive, info.usesSSL {
            shell.console.writeStandardOutput("SSL connection (protocol: \(info.sslProtocol ?? "unknown"), cipher: \(info.sslCipher ?? "unknown"), "
                + "compression: \(info.sslCompression ?? "off"))\n")
        }
    }

    /// As psql: at the terminal the old connection stays (`Previous connection kept`); in a
    /// script the script ends (status 2 as psql's, 3 when ON_ERROR_STOP stops it first), never
    /// going on without the connection it asked for.
    private func failed(_ error: ConnectionError, shell: Shell, frame: InputFrame) {
        if frame.isInteractive {
            shell.console.printError(error.message)
            shell.console.printError("Previous connection kept")
            shell.variables["ERROR"] = "true"
            return
        }
        shell.fail(message: "\\connect: " + error.message, in: frame, line: frame.source.lineNumber)
        shell.stopScript(status: 2)
    }
}
