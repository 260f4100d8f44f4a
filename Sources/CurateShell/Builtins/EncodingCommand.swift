import CurateKit

/// `\encoding [ENCODING]`: shows the client encoding, or sets it (`PQsetClientEncoding`), with
/// the ENCODING variable kept in step, as psql. curate reads and prints text as UTF-8 only, so
/// another client encoding is refused rather than accepted and its text mangled.
struct EncodingCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "encoding", abstract: "Show or set the client encoding (curate works in UTF8).")

    @Argument(help: "The encoding to use (UTF8).") var encoding: String?

    func run(shell: Shell) throws {
        guard let encoding else {
            shell.console.writeStandardOutput((shell.session.clientEncoding ?? "SQL_ASCII") + "\n")
            return
        }
        let invalid = ShellFailure("\(encoding): invalid encoding name or conversion procedure not found")
        guard let canonical = Session.canonicalEncodingName(encoding) else { throw invalid }
        guard canonical == "UTF8" else {
            throw ShellFailure("\(encoding): curate reads and prints text as UTF8 only; the client encoding stays \(shell.session.clientEncoding ?? "UTF8")")
        }
        guard shell.session.setClientEncoding(encoding) else { throw invalid }
        shell.syncEncoding()
    }
}
