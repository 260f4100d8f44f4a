import CurateKit

/// psql's variables describing the last statement's outcome.
struct ResultVariables: Equatable {
    let error: String
    let sqlState: String
    let rowCount: String
    /// LASTOID, when the statement reported one (left as it was otherwise).
    let lastOID: String?

    /// After a statement that succeeded with `rowCount` rows.
    static func succeeded(rowCount: String, lastOID: String? = nil) -> ResultVariables {
        ResultVariables(error: "false", sqlState: "00000", rowCount: rowCount, lastOID: lastOID)
    }

    /// After a statement that failed (SQLSTATE empty for a failure that is not the server's).
    static func failed(_ error: any Error) -> ResultVariables {
        ResultVariables(error: "true", sqlState: (error as? ServerError)?.sqlState ?? "", rowCount: "0", lastOID: nil)
    }
}
