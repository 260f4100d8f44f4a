/// SQL quoting without a connection (libpq's rules for a UTF-8, standard_conforming_strings server).
package enum SQLQuoting {
    /// `name` as a quoted identifier: `"name"`, embedded quotes doubled.
    package static func identifier(_ name: String) -> String {
        "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }

    /// `text` as a string literal: `'text'`, quotes doubled; `E'...'` with backslashes doubled when it holds any.
    package static func literal(_ text: String) -> String {
        let doubled = text.replacingAll("'", with: "''")
        if text.contains("\\") {
            return " E'" + doubled.replacingAll("\\", with: "\\\\") + "'"
        }
        return "'" + doubled + "'"
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
