import CLibPQ

/// libpq's connection options as keyword/value pairs, in libpq's own order: what a connection
/// was made with (`PQconninfo`), libpq's defaults (`PQconndefaults`) or a connection string
/// taken apart (`PQconninfoParse`). All three list the same keywords in the same order, which
/// `\connect` relies on to merge them. Holds the password: package-only, never printed.
package struct ConnectionOptions: Sendable {
    package struct Entry: Sendable {
        package var keyword: String
        package var value: String?
    }

    package var entries: [Entry]

    package subscript(keyword: String) -> String? {
        entries.first { $0.keyword == keyword }?.value ?? nil
    }

    /// libpq's defaults (environment, service file, compiled-in), as psql starts from for
    /// `\connect -reuse-previous=off`.
    static func defaults() -> ConnectionOptions? {
        guard let options = PQconndefaults() else { return nil }
        defer { PQconninfoFree(options) }
        return ConnectionOptions(options)
    }

    /// A `key=value` connection string or a URI taken apart; libpq's message when it is malformed.
    static func parse(_ text: String) throws(CommandError) -> ConnectionOptions {
        var message: UnsafeMutablePointer<CChar>? = nil
        guard let options = PQconninfoParse(text, &message) else {
            guard let message else { throw CommandError("out of memory") }
            defer { PQfreemem(message) }
            var text = String(cString: message)
            while text.hasSuffix("\n") { text.removeLast() }
            throw CommandError(text)
        }
        defer { PQconninfoFree(options) }
        return ConnectionOptions(options)
    }

    /// psql's test for a `\connect` argument that is a connection string rather than a name: a
    /// `postgresql://` or `postgres://` URI, or text holding `=`.
    package static func isConnectionString(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") || text.contains("=")
    }

    init(entries: [Entry]) { self.entries = entries }

    init(_ options: UnsafeMutablePointer<PQconninfoOption>) {
        var entries: [Entry] = []
        var index = 0
        while let keyword = options[index].keyword {
            entries.append(Entry(keyword: String(cString: keyword), value: options[index].val.map { String(cString: $0) }))
            index += 1
        }
        self.entries = entries
    }
}

/// Reflection and printing never show the password (the session holds these options, and a
/// plugin may mirror or dump the session).
extension ConnectionOptions: CustomReflectable, CustomStringConvertible, CustomDebugStringConvertible {
    package var customMirror: Mirror {
        Mirror(self, children: entries.map { (label: $0.keyword as String?, value: $0.shown as Any) }, displayStyle: .dictionary)
    }

    package var description: String {
        "ConnectionOptions(" + entries.compactMap { entry in entry.shown.map { "\(entry.keyword)=\($0)" } }.joined(separator: " ") + ")"
    }

    package var debugDescription: String { description }
}

extension ConnectionOptions.Entry: CustomReflectable, CustomStringConvertible {
    /// The value as it may be shown: the password only as `hidden`.
    var shown: String? { keyword == "password" ? value.map { _ in "hidden" } : value }

    package var customMirror: Mirror { Mirror(self, children: ["keyword": keyword, "value": shown as Any]) }
    package var description: String { "\(keyword)=\(shown ?? "")" }
}
