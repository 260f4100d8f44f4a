import Foundation

/// The report of `pgbackrest verify --output=text --verbose`, read line by line.
///
/// The one place curate reads pgBackRest's text: 2.45's verify has no JSON output and exits 0
/// even when a backup set is invalid (checked on this version), so its summary is the only
/// verdict there is. The reading fails closed: a report without the stanza's status line is
/// not taken for a good one.
public struct PgBackRestVerifyReport: Sendable, Equatable {
    public struct BackupSet: Sendable, Equatable {
        public var label: String
        /// "valid" or "invalid" (pgBackRest's word).
        public var status: String
        public var filesChecked: Int?
        public var filesValid: Int?
        /// The counts line under it, as pgBackRest printed it ("missing: 0, checksum invalid: 1, ...").
        public var problems: String?
    }

    /// "ok" or "error".
    public var status: String
    public var sets: [BackupSet]
    /// The archive lines ("archiveId: 15-1, total WAL checked: 8, total valid WAL: 8").
    public var archive: [String]

    public var ok: Bool { status == "ok" && sets.allSatisfy { $0.status == "valid" } }

    /// nil when the text has no `status:` line for `stanza`.
    public static func parse(_ text: String, stanza: String) -> PgBackRestVerifyReport? {
        var inStanza = false
        var status: String?
        var sets: [BackupSet] = []
        var archive: [String] = []
        var lastWasSet = false
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("stanza: ") {
                inStanza = String(line.dropFirst("stanza: ".count)) == stanza
                lastWasSet = false
                continue
            }
            guard inStanza else { continue }
            if line.hasPrefix("status: ") {
                status = String(line.dropFirst("status: ".count))
            } else if line.hasPrefix("backup: ") {
                let fields = Self.fields(line)
                let label = String(line.dropFirst("backup: ".count).prefix { $0 != "," })
                sets.append(BackupSet(label: label, status: fields["status"] ?? "unknown",
                                      filesChecked: fields["total files checked"].flatMap { Int($0) },
                                      filesValid: fields["total valid files"].flatMap { Int($0) }, problems: nil))
                lastWasSet = true
                continue
            } else if line.hasPrefix("archiveId: ") {
                archive.append(line)
            } else if lastWasSet, !sets.isEmpty, line.contains(":") {
                sets[sets.count - 1].problems = line
            }
            lastWasSet = false
        }
        guard let status else { return nil }
        return PgBackRestVerifyReport(status: status, sets: sets, archive: archive)
    }

    /// "a: 1, b: c" as ["a": "1", "b": "c"].
    static func fields(_ line: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in line.split(separator: ",") {
            let pair = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2 { result[pair[0]] = pair[1] }
        }
        return result
    }
}
