import CurateKit

/// `\encoding [ENCODING]`: shows the client encoding, or sets it (`PQsetClientEncoding`), with
/// the ENCODING variable kept in step, as psql.
struct EncodingCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "encoding", abstract: "Show or set the client encoding.")

    @Argument(help: "The encoding to use (UTF8, LATIN1, ...).") var encoding: String?

    func run(shell: Shell) throws {
        guard let encoding else {
            shell.console.writeStandardOutput((shell.session.clientEncoding ?? "SQL_ASCII") + "\n")
            return
        }
        guard shell.session.setClientEncoding(encoding) else {
            throw ShellFailure("\(encoding): invalid encoding name or conversion procedure not found")
        }
        shell.syncEncoding()
    }
}
