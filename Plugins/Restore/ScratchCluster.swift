import BackupPlugin
import CurateKit
import Foundation

/// A throwaway cluster restored by pgBackRest for a point-in-time recovery: a private folder
/// (mode 0700, owned by the cluster's user) holding the data directory, the Unix socket, the
/// server log and an authentication file of its own. The server listens on no TCP port (only
/// on the folder's socket), so the port number collides with nothing; it never archives
/// (`archive_mode=off`), so it cannot write into the live repository. `remove()` stops it and
/// deletes the folder; the recovery calls it on every path out, failures and Ctrl-C included.
final class ScratchCluster {
    let folder: String
    let port = "5432"
    let owner: String?
    let pgCtl: String
    private var started = false
    private var removed = false

    var dataDirectory: String { folder + "/data" }
    var socketDirectory: String { folder + "/sock" }
    var logFile: String { folder + "/log" }

    /// Makes the private folder in `parent`.
    init(parent: String, owner: String?, pgCtl: String) throws {
        var template = Array((parent + "/curate-pitr.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CommandError("cannot create a scratch folder in \(parent): \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        self.owner = owner
        self.pgCtl = pgCtl
        do {
            try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: false)
            // Only the socket folder's owner (and root) can connect: trust is safe behind it.
            try BackupFiles.writePrivate(Data("local all all trust\n".utf8), to: folder + "/hba.conf")
            try BackupFiles.writePrivate(Data(), to: folder + "/ident.conf")
            if let owner, let account = getpwnam(owner) {
                for path in [folder, socketDirectory, folder + "/hba.conf", folder + "/ident.conf"] {
                    guard chown(path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
                        throw CommandError("cannot give \(path) to \(owner): \(String(cString: strerror(errno)))")
                    }
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    /// The words that run a program as the cluster's owner.
    func asOwner(_ program: String) -> [String] {
        owner.map { [PgBackRest.runuser, "-u", $0, "--", program] } ?? [program]
    }

    /// Starts the restored server (in recovery until it reaches the target, then promoted).
    func start(context: CommandContext) throws {
        // A cluster whose configuration lived outside its data directory (Debian's /etc layout)
        // comes back without postgresql.conf.
        let configuration = dataDirectory + "/postgresql.conf"
        if !FileManager.default.fileExists(atPath: configuration) {
            try BackupFiles.writePrivate(Data(), to: configuration)
            if let owner, let account = getpwnam(owner) { chown(configuration, account.pointee.pw_uid, account.pointee.pw_gid) }
        }
        let options = [
            "-p \(port)", "-k \(socketDirectory)", "-c listen_addresses=''", "-c archive_mode=off", "-c archive_command=''",
            "-c hba_file=\(folder)/hba.conf", "-c ident_file=\(folder)/ident.conf", "-c hot_standby=on", "-c ssl=off",
            "-c cluster_name=curate-pitr", "-c logging_collector=off", "-c external_pid_file=''",
        ].joined(separator: " ")
        let command = asOwner(pgCtl) + ["-D", dataDirectory, "-l", logFile, "-w", "-t", "86400", "-o", options, "start"]
        started = true
        let result = try ChildProcess.run(command[0], Array(command.dropFirst()), cancelled: { context.isCancelled })
        if result.cancelled { throw CommandCancelled() }
        guard result.succeeded else {
            throw CommandError("the scratch cluster did not start: recovery failed:\n" + logTail(),
                               hint: "nothing was written to the live server")
        }
    }

    /// True while the scratch server's postmaster runs.
    var isRunning: Bool {
        let command = asOwner(pgCtl) + ["-D", dataDirectory, "status"]
        return (try? ChildProcess.run(command[0], Array(command.dropFirst()), stdout: .discard, stderr: .discard))?.succeeded ?? false
    }

    /// The server log's last lines, its errors first.
    func logTail(_ count: Int = 12) -> String {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        let fatal = lines.filter { $0.contains("FATAL") || $0.contains("PANIC") }
        return (fatal.isEmpty ? Array(lines.suffix(count)) : fatal.suffix(count)).joined(separator: "\n")
    }

    /// Stops the server (immediately: nothing in it is kept) and deletes the folder. Safe to call twice.
    func remove() {
        guard !removed else { return }
        removed = true
        if started && FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid") {
            let command = asOwner(pgCtl) + ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"]
            _ = try? ChildProcess.run(command[0], Array(command.dropFirst()), stdout: .discard, stderr: .discard)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    deinit { remove() }
}
