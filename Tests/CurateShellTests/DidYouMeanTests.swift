import Testing
@testable import CurateShell

@Suite("Suggestions after an unknown command")
struct DidYouMeanTests {
    @Test("no suggestion adds nothing")
    func none() {
        #expect(DidYouMean.phrase([]) == "")
    }

    @Test("plain suggestions are listed as they are")
    func plain() {
        #expect(DidYouMean.phrase(["\\timing"]) == "; did you mean \\timing?")
        #expect(DidYouMean.phrase(["\\d", "\\dt"]) == "; did you mean \\d or \\dt?")
    }

    @Test("a suggestion ending in a question mark (\\?) is quoted, so the sentence does not end in \"??\"")
    func questionMarkQuoted() {
        #expect(DidYouMean.phrase(["\\?"]) == "; did you mean \"\\?\"?")
        #expect(DidYouMean.phrase(["\\?", "\\h"]) == "; did you mean \"\\?\" or \"\\h\"?")
    }
}
