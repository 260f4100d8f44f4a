import CurateKit

extension Shell {
    /// `\set NAME value` (`value` nil: `\unset NAME`) with psql's checks and effects: a special
    /// variable's value is validated (and substituted, `\unset AUTOCOMMIT` storing off) before it
    /// is stored, and the settings it drives follow at once.
    func assignVariable(_ name: String, _ value: String?) throws {
        let stored = try SpecialVariable.named(name).map { try $0.assignment(of: value) } ?? value
        if name == "READONLY", let stored {
            try setReadOnly(Variables.parseBool(stored) ?? true)
        }
        variables[name] = stored
        if name == "VERBOSITY" || name == "SHOW_CONTEXT" { applyMessageVariables() }
    }
}
