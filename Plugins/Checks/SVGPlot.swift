import CurateKit

/// A small line plot of a check's finding counts over time, as inline SVG (no script, no
/// external file): for the HTML report.
public enum SVGPlot {
    /// One recorded run: when (seconds since 1970), its count (nil when it did not run).
    public struct Point: Sendable, Equatable {
        public var time: Double
        public var count: Int?
        public var status: String

        public init(time: Double, count: Int?, status: String) {
            self.time = time
            self.count = count
            self.status = status
        }
    }

    /// The plot of `points` (oldest first) for `check`.
    public static func svg(check: String, points: [Point], width: Int = 640, height: Int = 180) -> String {
        let left = 48, right = 12, top = 12, bottom = 28
        let plotWidth = Double(width - left - right), plotHeight = Double(height - top - bottom)
        let counted = points.compactMap { $0.count }
        let maxCount = max(1, counted.max() ?? 1)
        let first = points.first?.time ?? 0, last = points.last?.time ?? 0
        // By time; runs all within a millisecond of each other are spread by their order.
        let byTime = last - first >= 0.001
        func x(_ index: Int) -> Double {
            if points.count < 2 { return Double(left) + plotWidth / 2 }
            if !byTime { return Double(left) + Double(index) / Double(points.count - 1) * plotWidth }
            return Double(left) + (points[index].time - first) / (last - first) * plotWidth
        }
        func y(_ count: Int) -> Double { Double(top) + plotHeight - Double(count) / Double(maxCount) * plotHeight }
        func f(_ value: Double) -> String {
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10).\(abs(tenths % 10))"
        }
        let label = HTMLText.escape("findings of \(check) over time")
        var out = "<svg class=\"plot\" data-check=\"\(HTMLText.escape(check))\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(label)\">\n"
        out += "<title>\(label)</title>\n"
        // Axes, the top and zero counts, the first and last dates.
        out += "<line class=\"axis\" x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>\n"
        out += "<line class=\"axis\" x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - right)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>\n"
        out += "<text x=\"\(left - 6)\" y=\"\(top + 4)\" text-anchor=\"end\" font-size=\"11\">\(maxCount)</text>\n"
        out += "<text x=\"\(left - 6)\" y=\"\(height - bottom + 4)\" text-anchor=\"end\" font-size=\"11\">0</text>\n"
        if let firstPoint = points.first {
            out += "<text x=\"\(left)\" y=\"\(height - 8)\" font-size=\"11\">\(HTMLText.date(Int64(firstPoint.time)))</text>\n"
        }
        if points.count > 1, let lastPoint = points.last {
            out += "<text x=\"\(width - right)\" y=\"\(height - 8)\" text-anchor=\"end\" font-size=\"11\">\(HTMLText.date(Int64(lastPoint.time)))</text>\n"
        }
        // The line joins the runs that counted; a run that failed or was skipped is a red mark on the axis.
        let line = points.indices.compactMap { i in points[i].count.map { "\(f(x(i))),\(f(y($0)))" } }
        if line.count > 1 {
            out += "<polyline class=\"series\" fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"\(line.joined(separator: " "))\"/>\n"
        }
        for (i, p) in points.enumerated() {
            let when = HTMLText.dateTime(Int64(p.time))
            if let count = p.count {
                out += "<circle class=\"run\" cx=\"\(f(x(i)))\" cy=\"\(f(y(count)))\" r=\"3\" fill=\"#1f6feb\"><title>\(when): \(count)</title></circle>\n"
            } else {
                out += "<circle class=\"run not-run\" cx=\"\(f(x(i)))\" cy=\"\(f(Double(height - bottom)))\" r=\"3\" fill=\"#d1242f\"><title>\(when): \(HTMLText.escape(p.status))</title></circle>\n"
            }
        }
        out += "</svg>"
        return out
    }
}

/// Text for HTML: escaping and UTC dates.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `YYYY-MM-DD` (UTC) of seconds since 1970.
    public static func date(_ seconds: Int64) -> String { String(dateTime(seconds).prefix(10)) }

    /// `YYYY-MM-DD HH:MM UTC` of seconds since 1970.
    public static func dateTime(_ seconds: Int64) -> String {
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let secondOfDay = Int(seconds - Int64(days) * 86400)
        let date = CivilDate(dayNumber: days)
        let (year, month, day) = (date.year, date.month, date.day)
        func pad(_ v: Int, _ w: Int) -> String { let t = String(v); return String(repeating: "0", count: max(0, w - t.count)) + t }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)) UTC"
    }
}
