#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating-system account curate runs as: recorded in audit and check-run rows, named in
/// messages about files it cannot write.
public enum OperatingSystemUser {
    /// The account's name (the password database's, else `$USER`); nil when neither says.
    public static var name: String? {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return getenv("USER").map { String(cString: $0) }
    }
}
