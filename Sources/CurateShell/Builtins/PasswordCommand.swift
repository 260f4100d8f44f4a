import ArgumentParser
import CurateKit

/// `\password [USER]`: asks twice for a new password at the terminal without echo, encrypts it
/// on this side (`PQencryptPasswordConn`, by the server's `password_encryption`) and sends
/// `ALTER USER ... PASSWORD '<encrypted>'`, as psql. The password is never echoed, never kept
/// in history (the command line holds no password), and no message ever contains it.
struct PasswordCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "password", abstract: "Change a role's password (the current user's by default).")
    /// The line as typed: psql reads the role as an SQL identifier, folded to lower case unless quoted.
    static let takesWholeLine = true

    @Argument(help: "The role; the current user when left out. Unquoted, it is folded to lower case.") var line: String?

    func run(shell: Shell) throws {
        let session = shell.session
        let role: String
        if let line, let given = try Self.role(in: line, shell: shell) {
            role = given
        } else {
            guard let current = try session.execute("SELECT CURRENT_USER").rows.first?[0] else {
                throw ShellFailure("could not determine the current user")
            }
            role = current
        }
        let answers = [PasswordPrompt.ask(prompt: "Enter new password for user \"\(role)\": ")]
        let both = answers[0] == .cancelled ? answers : answers + [PasswordPrompt.ask(prompt: "Enter it again: ")]
        if both.contains(.noTerminal) {
            throw ShellFailure("\\password needs a terminal to ask for the password without echo")
        }
        // Ctrl-C at either prompt: nothing changes.
        guard case .entered(let first) = both[0], both.count == 2, case .entered(let second) = both[1] else {
            throw CommandCancelled()
        }
        guard first == second else { throw ShellFailure("Passwords didn't match.") }
        let encrypted = try session.encryptPassword(first, user: role)
        // Only the encrypted form travels; an error names the statement nowhere (see Shell.report).
        try session.execute("ALTER USER \(SQLIdentifier.quotedIfNeeded(role)) PASSWORD \(session.quoteLiteral(encrypted))")
    }

    /// The first word of `line` (variables interpolated), ASCII letters folded to lower case
    /// when it was not quoted; the words after it are ignored with psql's warning.
    private static func role(in line: String, shell: Shell) throws -> String? {
        let words: [String]
        do {
            words = try ArgumentTokenizer.split(line, line: shell.frames.last?.source.lineNumber ?? 0, resolve: shell.resolveVariable)
        } catch {
            throw ShellFailure("\\password: \(error.message)")
        }
        guard let first = words.first else { return nil }
        if let frame = shell.frames.last {
            for extra in words.dropFirst() { shell.warn("\\password: extra argument \"\(extra)\" ignored", in: frame) }
        }
        let quoted = line.first == "\"" || line.first == "'"
        return quoted ? first : String(first.map { $0.isASCII ? Character($0.lowercased()) : $0 })
    }
}
