/// Thrown by a command that has finished its work and whose result is an exit status, as a
/// monitoring plugin's is (`\check --format nagios`: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
/// Nothing is printed for it. In a script, a status other than 0 ends the script with that
/// status (the command's output is already written); at the terminal it is ignored.
public struct ScriptExitRequest: Error, Sendable, Equatable {
    public var status: Int32

    public init(status: Int32) {
        self.status = status
    }
}
