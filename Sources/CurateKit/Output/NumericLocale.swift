#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// psql's `\pset numericlocale` (`format_numeric_locale` in fe_utils/print.c): the digits of a
/// number in a right-aligned column grouped with the locale's thousands separator, and its
/// decimal point the locale's. Values that do not look like numbers (money) stay as they are.
struct NumericLocale: Sendable {
    let decimalPoint: [UInt8]
    let thousandsSeparator: [UInt8]
    let groupDigits: Int

    /// psql's `setDecimalLocale`, from the process's LC_NUMERIC (psql sets it from the
    /// environment at start): "." and groups of 3 with "," where the locale says nothing.
    static let current: NumericLocale = {
        setlocale(LC_NUMERIC, "")
        guard let conventions = localeconv() else {
            return NumericLocale(decimalPoint: [UInt8(ascii: ".")], thousandsSeparator: [UInt8(ascii: ",")], groupDigits: 3)
        }
        func bytes(_ p: UnsafeMutablePointer<CChar>?) -> [UInt8] {
            guard let p else { return [] }
            return Array(String(cString: p).utf8)
        }
        var point = bytes(conventions.pointee.decimal_point)
        if point.isEmpty { point = [UInt8(ascii: ".")] }
        var group = conventions.pointee.grouping.map { Int($0.pointee) } ?? 0
        if group <= 0 || group > 6 { group = 3 }
        var separator = bytes(conventions.pointee.thousands_sep)
        if separator.isEmpty { separator = point == [UInt8(ascii: ",")] ? [UInt8(ascii: ".")] : [UInt8(ascii: ",")] }
        // Back to C for the rest of curate, which formats numbers itself.
        setlocale(LC_NUMERIC, "C")
        return NumericLocale(decimalPoint: point, thousandsSeparator: separator, groupDigits: group)
    }()

    /// The value as psql shows it with numericlocale on.
    func format(_ value: UnsafeRawBufferPointer) -> [UInt8] {
        let digits = Set("0123456789+-.eE".utf8)
        guard value.allSatisfy({ digits.contains($0) }) else { return [UInt8](value) }
        var result: [UInt8] = []
        var i = 0
        if let first = value.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            result.append(first)
            i = 1
        }
        var integerDigits = 0
        while i + integerDigits < value.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(value[i + integerDigits]) {
            integerDigits += 1
        }
        var leading = integerDigits % groupDigits
        if leading == 0 { leading = groupDigits }
        for k in 0..<integerDigits {
            if k > 0 {
                leading -= 1
                if leading == 0 {
                    result.append(contentsOf: thousandsSeparator)
                    leading = groupDigits
                }
            }
            result.append(value[i + k])
        }
        i += integerDigits
        if i < value.count && value[i] == UInt8(ascii: ".") {
            result.append(contentsOf: decimalPoint)
            i += 1
        }
        result.append(contentsOf: value[i...])
        return result
    }
}

/// Passes results on to another renderer with right-aligned columns' values formatted by
/// `NumericLocale` (psql formats the cells before any format prints them).
final class NumericLocaleRenderer: RowCountingRenderer {
    private let next: any RowCountingRenderer
    private let locale: NumericLocale
    private var rightAligned: [Bool] = []

    init(_ next: any RowCountingRenderer, locale: NumericLocale = .current) {
        self.next = next
        self.locale = locale
    }

    var lastResultRowCount: Int { next.lastResultRowCount }

    func begin(columns: [ColumnDescription]) {
        rightAligned = columns.map { TypeOID.isRightAligned($0.typeOID) }
        next.begin(columns: columns)
    }

    func row(_ values: some RowValues) {
        var cells: [[UInt8]?] = []
        cells.reserveCapacity(values.count)
        for c in 0..<values.count {
            cells.append(values.withValue(c) { value in
                if value.count == 0 && values.isNull(c) { return nil }
                return rightAligned[c] ? locale.format(value) : [UInt8](value)
            })
        }
        next.row(TextRowValues(bytes: cells))
    }

    func end(commandTag: String, rowCount: Int) { next.end(commandTag: commandTag, rowCount: rowCount) }

    func command(tag: String) { next.command(tag: tag) }
}
