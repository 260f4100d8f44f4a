/// Which checks may run on a hot standby (`\check --on standby`).
///
/// Every check only reads (a pack file's runs with `transaction_read_only`), and a standby
/// refuses writes anyway; what keeps a check on the primary is an answer that would be wrong on
/// a standby, or that would describe the standby instead of the data. Such a check names why in
/// `CheckDefinition.primaryOnly`.
extension PostgresPack {
    static let primaryOnlyReasons: [String: String] = [
        // The primary logs each sequence 32 values ahead (SEQ_LOG_VALS); a standby shows the
        // logged value, so a sequence just behind its column would look fine there.
        "sequence-behind": "a standby shows each sequence up to 32 values ahead of the primary (values are logged ahead), so a sequence just behind its column would pass there",
        // The collation versions come from the operating system the server runs on.
        "collation-drift": "it compares the collation versions of the operating system the server runs on: on a standby, the standby's",
    ]

    /// `checks` with their `primaryOnly` reasons.
    static func markingPrimaryOnly(_ checks: [CheckDefinition]) -> [CheckDefinition] {
        checks.map { check in
            var check = check
            check.primaryOnly = primaryOnlyReasons[check.name] ?? check.primaryOnly
            return check
        }
    }
}

extension CheckOutcome {
    /// The outcome of a check kept off a standby (`primaryOnly`): skipped, with the reason.
    public static func notOnStandby(_ check: CheckDefinition) -> CheckOutcome {
        CheckOutcome(check: check, status: .skipped, columns: [], rows: [], elapsedMS: 0,
                     reason: "not on a standby: " + (check.primaryOnly ?? ""))
    }
}
