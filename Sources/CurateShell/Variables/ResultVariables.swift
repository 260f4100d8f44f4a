/// psql's variables describing the last statement's outcome.
struct ResultVariables: Equatable {
    let error: String
    let sqlState: String
    let rowCount: String
    /// LASTOID, when the statement reported one (left as it was otherwise).
    let lastOID: String?
}
