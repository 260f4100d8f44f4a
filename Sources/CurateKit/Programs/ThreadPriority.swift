import CCurateSupport

/// The scheduling priority (nice value) of one thread, for work that should use only CPU time
/// others leave idle (a backup verified while pg_dump writes it).
public struct ThreadPriority: Sendable, Equatable {
    /// The thread's id.
    public let thread: Int32

    /// The calling thread.
    public static var current: ThreadPriority { ThreadPriority(thread: curate_thread_id()) }

    /// The thread's nice value.
    public var nice: Int32 { curate_thread_nice(thread) }

    /// Sets the thread's nice value; false when refused (raising priority needs privilege).
    @discardableResult
    public func setNice(_ value: Int32) -> Bool { curate_set_thread_nice(thread, value) == 0 }
}
