import Foundation

/// A user-configured program (`$PAGER`, `$EDITOR`) run through `/bin/sh -c`, on the terminal.
enum ShellCommandProcess {
    /// Starts `/bin/sh -c command` with `arguments` as `$1...`; `standardInput` replaces fd 0.
    static func spawn(_ command: String, arguments: [String] = [], standardInput: Int32? = nil) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let standardInput { posix_spawn_file_actions_adddup2(&actions, standardInput, 0) }
        var argv = (["/bin/sh", "-c", command, "sh"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        return posix_spawn(&pid, "/bin/sh", &actions, nil, &argv, environ) == 0 ? pid : nil
    }

    /// Waits for `pid`; its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
