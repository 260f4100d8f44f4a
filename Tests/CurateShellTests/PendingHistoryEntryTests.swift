import Testing
@testable import CurateShell

@Suite("Pending history entry")
struct PendingHistoryEntryTests {
    @Test("a script's lines are not collected: 100,000 of them leave nothing held")
    func scriptKeepsNothing() {
        var history = PendingHistoryEntry(recording: false)
        for index in 1...100_000 {
            history.add("INSERT INTO memory_load VALUES (\(index), md5(\(index)::text));")
        }
        #expect(history.lines.isEmpty)
        #expect(history.take() == nil)
    }

    @Test("a statement typed over several lines becomes one entry, and the next starts empty")
    func multiLineEntry() {
        var history = PendingHistoryEntry(recording: true)
        history.add("select 1")
        history.add("  as one;")
        #expect(history.take() == "select 1\n  as one;")
        #expect(history.lines.isEmpty)
        history.add("select 2;")
        #expect(history.take() == "select 2;")
    }

    @Test("an entry with a password is dropped, and so is an abandoned one")
    func droppedEntries() {
        var history = PendingHistoryEntry(recording: true)
        history.add("alter role curator")
        history.add("  password 'secret';")
        #expect(history.take() == nil)
        #expect(history.lines.isEmpty)
        history.add("select 'abandoned'")
        history.discard()
        #expect(history.lines.isEmpty)
        #expect(history.take() == nil)
    }
}
