/// The shell's variables (`\set NAME VALUE`), read by `:name` interpolation, by the shell's
/// own switches (ON_ERROR_STOP, ON_ERROR_ROLLBACK, ...) and by plugins (BACKUP_DIR, ...).
public final class Variables {
    // `@exclusivity(unchecked)` here and below: read and written for every statement, on the
    // shell's one thread; the runtime's check of each access cost more than the access (decisions.md).
    @exclusivity(unchecked) private var values: [String: String] = [:]
    /// Moves on at every change of a value (not at a value set again unchanged): the shell reads
    /// its settings from variables again only then, not at every statement.
    package var version: Int { changes }
    // Read by the shell around every statement: through `version`, so that the access stays in
    // this module and unchecked (a stored property used from another module is checked).
    @exclusivity(unchecked) private var changes = 0

    package init() {}

    /// The value of variable `name`; nil when it is not set. Setting nil unsets it.
    public subscript(name: String) -> String? {
        get { values[name] }
        set {
            let old = if let newValue { values.updateValue(newValue, forKey: name) } else { values.removeValue(forKey: name) }
            if old != newValue { changes &+= 1 }
        }
    }

    /// All variables, sorted by name (`\set` without arguments).
    public var all: [(name: String, value: String)] {
        values.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }

    /// A boolean variable as psql reads one: on/off, true/false, yes/no, 1/0 (any prefix, any case).
    /// Unset gives `defaultValue`; anything unrecognised also gives `defaultValue`.
    public func bool(_ name: String, default defaultValue: Bool) -> Bool {
        guard let value = values[name] else { return defaultValue }
        return Self.parseBool(value) ?? defaultValue
    }

    /// `text` read as psql reads a boolean (see `bool(_:default:)`); nil when it is none.
    public static func parseBool(_ text: String) -> Bool? {
        // The usual spellings first: read before every statement (QUIET, ON_ERROR_ROLLBACK, ...).
        switch text {
        case "on": return true
        case "off": return false
        default: break
        }
        let value = text.lowercased()
        if value.isEmpty { return nil }
        for word in ["true", "yes", "on", "1"] where word.hasPrefix(value) && !(value == "o") { return true }
        for word in ["false", "no", "off", "0"] where word.hasPrefix(value) && !(value == "o") { return false }
        return nil
    }
}
