import Testing
@testable import CurateKit

/// Every renderer against real psql 15 output (`RendererPsqlFixtures.swift`), byte for byte.
@Suite("Renderers match psql byte for byte")
struct RendererPsqlFixtureTests {
    @Test(arguments: PsqlFixtures.all)
    func matchesPsql(_ fixture: PsqlFixture) {
        let output = renderResult(
            fixture.settings.outputSettings,
            windowRows: fixture.windowRows,
            columns: fixture.columns,
            rows: fixture.rows,
            commandTag: fixture.commandTag
        )
        let expected = fixture.expectedBytes
        let identical = output == expected
        #expect(identical, "\(fixture.psql)\n--- curate ---\n\(renderedText(output))--- psql ---\n\(renderedText(expected))")
    }
}
