#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a program is: a name is looked up on `PATH` (as a shell would), a path is taken as it is.
package enum ProgramPath {
    /// The executable for `program`, or nil when there is none.
    package static func find(_ program: String) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        let searchPath = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for folder in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + program
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// The same, or a `CommandError` naming what is missing.
    package static func require(_ program: String) throws -> String {
        guard let path = find(program) else {
            throw CommandError("\(program) not found on PATH", hint: "install it, or add its folder to PATH")
        }
        return path
    }
}
