import CurateKit
import Foundation
import Testing

@Suite("Civil dates and day numbers")
struct CivilDateTests {
    @Test("day numbers of known dates, both ways")
    func knownDates() {
        let known: [(CivilDate, Int)] = [
            (CivilDate(year: 1970, month: 1, day: 1), 0),
            (CivilDate(year: 1969, month: 12, day: 31), -1),
            (CivilDate(year: 2000, month: 2, day: 29), 11016),
            (CivilDate(year: 2026, month: 12, day: 6), 20793),
            (CivilDate(year: 1600, month: 3, day: 1), -135080),
        ]
        for (date, number) in known {
            #expect(date.dayNumber == number, "\(date)")
            #expect(CivilDate(dayNumber: number) == date, "\(number)")
        }
    }

    @Test("every day of eight centuries goes round, and agrees with Foundation's Gregorian calendar")
    func roundTrip() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var notRoundTrip: [Int] = []
        var notFoundation: [Int] = []
        for number in stride(from: -146097, through: 146097, by: 1) {
            let date = CivilDate(dayNumber: number)
            if date.dayNumber != number { notRoundTrip.append(number) }
            // (Foundation's calendar is Julian before 1582; 1696 on is Gregorian in both.)
            if number % 997 == 0, number >= -100_000 {
                let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(number) * 86400))
                if parts.year != date.year || parts.month != date.month || parts.day != date.day { notFoundation.append(number) }
            }
        }
        #expect(notRoundTrip.isEmpty)
        #expect(notFoundation.isEmpty)
        #expect(CivilDate.daysIn(month: 2, year: 1900) == 28)
        #expect(CivilDate.daysIn(month: 2, year: 2000) == 29)
    }
}
