/// A planner or executor setting applied with `SET LOCAL` for one statement only: the runner
/// sets it in a transaction (or savepoint) of its own and rolls that back afterwards, so the
/// user's session settings are never changed.
public struct QuerySetting: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
