import CCurateSupport

/// The curate release this binary is: the version from the source tree's `VERSION` file and the
/// commit it was built from, both fixed when curate was compiled.
///
/// `scripts/package` records the commit; a plain `swift build` knows none (``CurateRelease/commit`` is nil).
public enum CurateRelease {
    /// The version, as `VERSION` says it (e.g. `0.1.0`).
    public static let version: String = String(cString: curate_build_version()).trimmingWhitespace()

    /// The commit the release was built from (a git hash, `-modified` appended when the tree had
    /// uncommitted changes), or nil when the build did not record one.
    public static let commit: String? = {
        let text = String(cString: curate_build_commit()).trimmingWhitespace()
        return text.isEmpty ? nil : text
    }()

    /// What `curate --version` prints after the program's name: `0.1.0 (commit 1f4c993a0b2c)`,
    /// or `0.1.0 (unknown commit)`.
    public static var description: String {
        "\(version) (\(commit.map { "commit " + $0 } ?? "unknown commit"))"
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
