import ArgumentParser
import CurateKit

/// `\encoding [ENCODING]`: shows the client encoding, or sets it (`PQsetClientEncoding`), with
/// the ENCODING variable kept in step, as psql. curate reads and prints text as UTF-8 only, so
/// a client encoding other than UTF8 (or SQL_ASCII, bytes unconverted) is refused rather than
/// accepted and its text mangled.
struct EncodingCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(commandName: "encoding", abstract: "Show or set the client encoding (UTF8 or SQL_ASCII).")

    @Argument(help: "The encoding to use (UTF8, or SQL_ASCII).") var encoding: String?

    func run(shell: Shell) throws {
        guard let encoding else {
            shell.console.writeStandardOutput((shell.session.clientEncoding ?? "SQL_ASCII") + "\n")
            return
        }
        let invalid = ShellFailure("\(encoding): invalid encoding name or conversion procedure not found")
        guard let canonical = Session.canonicalEncodingName(encoding) else { throw invalid }
        // SQL_ASCII passes the bytes through unconverted: UTF-8 in a UTF8 database (pg_dump -C
        // writes `\encoding SQL_ASCII` before its `\connect`).
        guard canonical == "UTF8" || canonical == "SQL_ASCII" else {
            throw ShellFailure("\(encoding): curate reads and prints text as UTF8 only (SQL_ASCII passes it unconverted); the client encoding stays \(shell.session.clientEncoding ?? "UTF8")")
        }
        guard shell.session.setClientEncoding(encoding) else { throw invalid }
        shell.syncEncoding()
    }
}
