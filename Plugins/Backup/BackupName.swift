#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CurateKit

/// The formats a backup can have, with the file-name suffix each one gets.
public enum BackupFormat: String, Sendable, CaseIterable, Codable {
    case custom
    case plain
    case directory

    /// `pg_dump_c`, `pg_dump_p.gz`, `pg_dump_d` (the archive's names).
    public var suffix: String {
        switch self {
        case .custom: return "pg_dump_c"
        case .plain: return "pg_dump_p.gz"
        case .directory: return "pg_dump_d"
        }
    }

    /// pg_dump's `--format` letter.
    public var pgDumpLetter: String {
        switch self {
        case .custom: return "c"
        case .plain: return "p"
        case .directory: return "d"
        }
    }
}

/// A backup's date stamp as written in its name: a local, naive ISO timestamp such as
/// `2024-03-05T02:00:01.123456` (the fraction is optional when reading).
public struct BackupTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var microsecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.ffffff]` (1 to 9 fraction digits); nil for anything else.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var microsecond = 0
        if bytes.count > 19 {
            let digits = bytes.count - 20
            guard bytes[19] == UInt8(ascii: "."), digits >= 1, digits <= 9, let fraction = number(20..<bytes.count) else { return nil }
            var scaled = fraction
            if digits < 6 {
                for _ in digits..<6 { scaled *= 10 }
            } else {
                for _ in 6..<digits { scaled /= 10 }
            }
            microsecond = scaled
        }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61 else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second, microsecond: microsecond)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff`, as Python's `datetime.isoformat()` writes it.
    public var description: String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(microsecond, 6))"
    }

    /// `YYYY-MM-DD`.
    public var dateText: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    public static func < (lhs: BackupTimestamp, rhs: BackupTimestamp) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second) != (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
            ? (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second) < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
            : lhs.microsecond < rhs.microsecond
    }

    // MARK: Calendar (proleptic Gregorian, no time zones: the stamps are local wall-clock times)

    public static func isLeap(_ year: Int) -> Bool { CivilDate.isLeap(year) }

    public static func daysIn(month: Int, year: Int) -> Int { CivilDate.daysIn(month: month, year: year) }

    /// Days since 1970-01-01.
    public var dayNumber: Int { CivilDate(year: year, month: month, day: day).dayNumber }

    /// The date of a day number, at midnight.
    public init(dayNumber: Int) {
        let date = CivilDate(dayNumber: dayNumber)
        self.init(year: date.year, month: date.month, day: date.day)
    }

    /// Microseconds since 1970-01-01T00:00 of the same wall clock.
    public var microsecondsSinceEpoch: Int64 {
        let seconds = Int64(dayNumber) * 86400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1_000_000 + Int64(microsecond)
    }

    /// ISO weekday, Monday 1 to Sunday 7.
    public var isoWeekday: Int { ((dayNumber + 3) % 7 + 7) % 7 + 1 }

    /// The ISO week: its year (which differs from the calendar year around New Year) and number.
    public var isoWeek: (year: Int, week: Int) {
        let thursday = dayNumber - (isoWeekday - 1) + 3
        let year = BackupTimestamp(dayNumber: thursday).year
        let firstOfYear = BackupTimestamp(year: year, month: 1, day: 1).dayNumber
        return (year, (thursday - firstOfYear) / 7 + 1)
    }

    /// `2025-W01`.
    public var isoWeekText: String {
        let week = isoWeek
        return "\(week.year)-W\(week.week < 10 ? "0" : "")\(week.week)"
    }

    /// Day number of the Monday starting this ISO week.
    public var weekStartDay: Int { dayNumber - (isoWeekday - 1) }

    /// Months since year 0, for month windows.
    public var monthIndex: Int { year * 12 + month - 1 }

    /// `2024-03`.
    public var monthText: String { String(dateText.prefix(7)) }

    /// Now, in local wall-clock time.
    public static func now() -> BackupTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        return BackupTimestamp(
            year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
            hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: min(Int(parts.tm_sec), 59),
            microsecond: Int(spec.tv_nsec / 1000))
    }
}


/// What a name in a backup folder is.
public enum BackupFileKind: String, Sendable, Codable {
    /// `DB.TIMESTAMP.SUFFIX`: a backup (file, or folder for the directory format).
    case backup
    /// `.DB.TIMESTAMP.SUFFIX.partial`: a backup being written, or one interrupted.
    case partial
    /// `DB.TIMESTAMP.SUFFIX.failed`: a note left by a backup that failed.
    case failed
}

/// A recognised name in a backup folder: `DBNAME.TIMESTAMP.SUFFIX` and its partial and failed
/// forms. The archive's existing names (`fitsdata.2024-03-05T02:00:01.123456.pg_dump_c`) are
/// exactly this form, so an existing folder is adopted as it is.
public struct BackupName: Sendable, Hashable {
    public var database: String
    public var timestamp: BackupTimestamp
    public var format: BackupFormat
    public var kind: BackupFileKind
    /// The text of the timestamp as it appears in the name (kept verbatim).
    public var timestampText: String

    public init(database: String, timestamp: BackupTimestamp, format: BackupFormat, kind: BackupFileKind = .backup) {
        self.database = database
        self.timestamp = timestamp
        self.format = format
        self.kind = kind
        self.timestampText = timestamp.description
    }

    /// The name of the finished backup: `DB.TIMESTAMP.SUFFIX`.
    public var backupFileName: String { "\(database).\(timestampText).\(format.suffix)" }

    /// This entry's own file name.
    public var fileName: String {
        switch kind {
        case .backup: return backupFileName
        case .partial: return "." + backupFileName + ".partial"
        case .failed: return backupFileName + ".failed"
        }
    }

    /// The manifest written beside a backup.
    public var manifestFileName: String { backupFileName + ".manifest" }
    /// `--globals`: roles and tablespaces beside the backup.
    public var globalsFileName: String { backupFileName + ".globals.sql" }

    /// Parses a name; nil when it is not one of ours (such files are never touched).
    public static func parse(_ fileName: String) -> BackupName? {
        var name = Substring(fileName)
        var kind = BackupFileKind.backup
        if name.hasPrefix("."), name.hasSuffix(".partial") {
            kind = .partial
            name = name.dropFirst().dropLast(".partial".count)
        } else if name.hasSuffix(".failed") {
            kind = .failed
            name = name.dropLast(".failed".count)
        }
        guard let format = BackupFormat.allCases.first(where: { name.hasSuffix("." + $0.suffix) }) else { return nil }
        name = name.dropLast(format.suffix.count + 1)
        var parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return nil }
        var stampText = parts.removeLast()
        if stampText.allSatisfy(\.isNumber), parts.count >= 2 {
            stampText = parts.removeLast() + "." + stampText
        }
        let database = parts.joined(separator: ".")
        guard !database.isEmpty, !database.hasPrefix("."), let stamp = BackupTimestamp(stampText) else { return nil }
        var result = BackupName(database: database, timestamp: stamp, format: format, kind: kind)
        result.timestampText = stampText
        return result
    }
}
