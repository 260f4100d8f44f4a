import Testing
@testable import CurateShell

@Suite("History filter")
struct HistoryFilterTests {
    @Test("lines that set passwords are kept out of history", arguments: [
        "\\password curator",
        "ALTER ROLE curator PASSWORD 'secret';",
        "alter user curator with password 'secret';",
        "CREATE ROLE x LOGIN PASSWORD 'secret';",
        "create user x\n  password 'secret';",
        "select 1; alter role x password 'y';",
        "/* note */ ALTER ROLE x ENCRYPTED PASSWORD 'y';",
    ])
    func sensitive(entry: String) {
        #expect(HistoryFilter.holdsPassword(entry))
    }

    @Test("ordinary lines are kept", arguments: [
        "select * from diskfile;",
        "select password_hint from users;",
        "alter table diskfile add column note text;",
        "create role reader;",
    ])
    func ordinary(entry: String) {
        #expect(!HistoryFilter.holdsPassword(entry))
    }
}
