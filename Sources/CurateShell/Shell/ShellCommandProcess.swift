import CurateKit
import Foundation

/// A program run through `/bin/sh -c` (`$PAGER`, `$EDITOR`, `\copy ... program`), started the
/// way every child of curate is (`ChildSpawn`: default signal handling, so a pipe closed under
/// it ends it quietly).
enum ShellCommandProcess {
    /// Starts `/bin/sh -c command` with `arguments` as `$1...`; `standardInput` and
    /// `standardOutput` replace fd 0 and fd 1. Nil (errno set) when it cannot be started.
    static func spawn(_ command: String, arguments: [String] = [], standardInput: Int32? = nil, standardOutput: Int32? = nil) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput { posix_spawn_file_actions_adddup2(&actions, standardInput, 0) }
        if let standardOutput { posix_spawn_file_actions_adddup2(&actions, standardOutput, 1) }
        let environment = ProcessInfo.processInfo.environment
        switch ChildSpawn.spawn("/bin/sh", arguments: ["-c", command, "sh"] + arguments, environment: environment, actions: &actions) {
        case .success(let pid): return pid
        case .failure(let failure):
            errno = failure.errno
            return nil
        }
    }

    /// psql's `` `command` `` in a backslash command's arguments: what the command prints on
    /// standard output, without one final newline; its exit status does not matter (psql 15).
    static func output(of command: String) -> String {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { return "" }
        _ = fcntl(descriptors[0], F_SETFD, FD_CLOEXEC)
        let pid = spawn(command, standardOutput: descriptors[1])
        close(descriptors[1])
        let reader = FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true)
        var output = pid == nil ? Data() : reader.readDataToEndOfFile()
        if let pid { _ = wait(pid) }
        if output.last == UInt8(ascii: "\n") { output.removeLast() }
        return String(decoding: output, as: UTF8.self)
    }

    /// Waits for `pid`; its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// How psql describes a child's end (`wait_result_to_str`).
    static func describe(status: Int32) -> String {
        status > 128 ? "child process was terminated by signal \(status - 128): \(String(cString: strsignal(status - 128)))"
            : "child process exited with exit code \(status)"
    }
}
