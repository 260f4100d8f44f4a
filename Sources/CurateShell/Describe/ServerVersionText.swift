/// psql's `formatPGVersionNumber` without the minor version: `9.6` before 10, `15` from 10 on,
/// as its "The server (version ...) does not support ..." messages print it.
enum ServerVersionText {
    static func major(_ version: Int) -> String {
        version >= 100000 ? "\(version / 10000)" : "\(version / 10000).\(version / 100 % 100)"
    }
}
