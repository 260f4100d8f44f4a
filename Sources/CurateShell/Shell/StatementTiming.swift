import CCurateSupport
import CurateKit
#if canImport(Glibc)
import Glibc
#endif

/// psql's `\timing` line: `Time: 1.234 ms`, with minutes and seconds added past one second.
enum StatementTiming {
    /// Milliseconds of the monotonic clock.
    static func now() -> Double { MonotonicClock.seconds() * 1000 }

    static func format(milliseconds: Double) -> String {
        var text = "Time: " + fixed(milliseconds, digits: 3) + " ms"
        guard milliseconds >= 1000 else { return text }
        let seconds = milliseconds / 1000
        let minutes = Int(seconds / 60)
        let rest = seconds - Double(minutes * 60)
        let restText = (rest < 10 ? "0" : "") + fixed(rest, digits: 3)
        if minutes < 60 {
            text += " (\(pad(minutes)):\(restText))"
        } else {
            text += " (\(pad(minutes / 60)):\(pad(minutes % 60)):\(restText))"
        }
        return text
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        var fraction = String(scaled % Int(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        return "\(whole).\(fraction)"
    }
}
