import ArgumentParser
import CurateKit

/// `\conninfo`: where the session is connected, in psql's words. Never shows the password.
struct ConnectionInfoCommand: CurateCommand {
    static let configuration = CommandConfiguration(commandName: "conninfo", abstract: "Show the database, user, host and port of the session.")

    func run(context: CommandContext) throws {
        let info = context.session.info
        var text = "You are connected to database \"\(info.database)\" as user \"\(info.user)\" "
        if info.isSocket {
            text += "via socket in \"\(info.host)\""
        } else {
            text += "on host \"\(info.host)\""
            if let address = info.hostAddress, address != info.host { text += " (address \"\(address)\")" }
        }
        text += " at port \"\(info.port)\"."
        context.console.print(text)
        if info.usesSSL {
            // psql's words: SSL connection (protocol: TLSv1.3, cipher: ..., compression: off)
            context.console.print("SSL connection (protocol: \(info.sslProtocol ?? "unknown"), cipher: \(info.sslCipher ?? "unknown"), "
                + "compression: \(info.sslCompression ?? "off"))")
        }
        context.console.print("Server: PostgreSQL \(info.serverVersionString), backend process \(info.backendPID).")
    }
}
