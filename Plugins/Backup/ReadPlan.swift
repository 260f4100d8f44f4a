/// How the verification read of a custom or directory archive is shared among several
/// `pg_restore -f /dev/null` processes.
///
/// One process decompresses every data block on one core: about 1 s for the benchmark's 87 MB
/// dump, over 10% of the time pg_dump took to write it, while pg_dump has left the other cores
/// free. Given disjoint `-L` lists, several processes read the archive at once, each only its
/// own entries' blocks. Every entry of the table of contents is in exactly one list, so together
/// they read exactly what one full read would, and a damaged block fails the process that
/// reads it. Entries with data are dealt largest first, each to the list with the least so far;
/// their sizes are estimates (table sizes in the database, file sizes in a directory archive),
/// which only affect how evenly the work is shared.
struct ReadPlan: Equatable {
    /// The `pg_restore --list` lines of each part, in the listing's order; no part is empty.
    var parts: [[String]]

    /// Splits the entry lines of `listing` into at most `count` parts. `weight` estimates an
    /// entry's data (0 for entries without); a line that `TOCEntry.parse` cannot read is still
    /// an entry and counts as 1.
    init(listing: String, count: Int, weight: (TOCEntry) -> Int64) {
        let lines = listing.split(separator: "\n").map(String.init).filter { TOCEntry.dumpID(ofLine: $0) != nil }
        let weights = lines.map { line in TOCEntry.parse(line: line).map(weight) ?? 1 }
        let binCount = max(count, 1)
        var totals = [Int64](repeating: 0, count: binCount)
        var members = [[Int]](repeating: [], count: binCount)
        // Largest first (stable, so equal weights keep the listing's order), each to the lightest part.
        let order = lines.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
        for index in order {
            let lightest = totals.indices.min { totals[$0] != totals[$1] ? totals[$0] < totals[$1] : members[$0].count < members[$1].count }!
            totals[lightest] += weights[index]
            members[lightest].append(index)
        }
        parts = members.filter { !$0.isEmpty }.map { $0.sorted().map { lines[$0] } }
    }
}
