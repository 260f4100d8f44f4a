import CurateKit

/// `\password [USER]`: asks twice for a new password at the terminal without echo, encrypts it
/// on this side (`PQencryptPasswordConn`, by the server's `password_encryption`) and sends
/// `ALTER USER ... PASSWORD '<encrypted>'`, as psql. The password is never echoed, never kept
/// in history (the command line holds no password), and no message ever contains it.
struct PasswordCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "password", abstract: "Change a role's password (the current user's by default).")

    @Argument(help: "The role; the current user when left out.") var user: String?

    func run(shell: Shell) throws {
        let session = shell.session
        // psql reads the name as an SQL identifier: unquoted, it is folded to lower case (the
        // tokenizer has already removed quotes, so only an all-unquoted name can be told apart).
        let role: String
        if let user {
            role = user
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
        // Ctrl-C at either prompt: nothing changes, and, as in psql, nothing is said.
        guard case .entered(let first) = both[0], both.count == 2, case .entered(let second) = both[1] else {
            throw CommandCancelled()
        }
        guard first == second else { throw ShellFailure("Passwords didn't match.") }
        let encrypted = try session.encryptPassword(first, user: role)
        // Only the encrypted form travels; an error names the statement nowhere (see Shell.report).
        try session.execute("ALTER USER \(SQLIdentifier.quotedIfNeeded(role)) PASSWORD \(session.quoteLiteral(encrypted))")
    }
}
