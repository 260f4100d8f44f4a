/// Where a plugin came from.
public enum PluginKind: String, Sendable, CaseIterable {
    /// Compiled into curate.
    case builtIn = "built-in"
    /// Compiled into a package's own curate executable (`CurateMain.run(plugins:)`).
    case swift
    /// A check pack file: checks and fixes declared in SQL, run by `\check` and `\fix`.
    case pack
    /// A `curate-NAME` executable speaking the JSON-lines protocol.
    case external
}

/// One loaded plugin as `\plugins` lists it.
public struct PluginDescription: Sendable, Equatable {
    /// The plugin's name.
    public var name: String
    /// Built-in, Swift, check pack or external.
    public var kind: PluginKind
    /// "curate" for built-ins, the executable's name for Swift plugins, a path for files.
    public var origin: String
    /// The plugin's version.
    public var version: String
    /// What it adds: `\name` for commands, check names for a pack.
    public var provides: [String]

    /// A description with every field given.
    public init(name: String, kind: PluginKind, origin: String, version: String, provides: [String]) {
        self.name = name
        self.kind = kind
        self.origin = origin
        self.version = version
        self.provides = provides
    }
}
