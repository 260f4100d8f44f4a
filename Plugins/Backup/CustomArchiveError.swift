/// Why a custom-format archive is not what pg_dump writes: damaged, truncated, or a kind this
/// reader does not handle. `description` is the sentence shown to the user.
public struct CustomArchiveError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
