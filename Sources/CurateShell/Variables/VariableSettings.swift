import CurateKit

/// The psql variables the shell consults around every statement and input line, read once per
/// change of any variable (`Variables.version`) rather than looked up at every use: psql keeps
/// them in its settings through variable hooks for the same reason. (A class: handed around
/// without copying its strings.)
final class VariableSettings {
    let quiet: Bool
    let autocommit: Bool
    let singleStep: Bool
    let singleLine: Bool
    let onErrorStop: Bool
    let showAllResults: Bool
    let echo: PsqlVariableEffects.Echo
    /// ON_ERROR_ROLLBACK (`interactive` when unset; anything not a boolean is off).
    let onErrorRollback: OnErrorRollback

    enum OnErrorRollback { case on, off, interactive }
    /// FETCH_COUNT; 0 when unset or not a positive number.
    let fetchCount: Int
    /// PROMPT3, the prompt for COPY data lines.
    let copyPrompt: String

    init(_ variables: Variables) {
        quiet = PsqlVariableEffects.isOn(variables["QUIET"])
        autocommit = variables.bool("AUTOCOMMIT", default: true)
        singleStep = PsqlVariableEffects.isOn(variables["SINGLESTEP"])
        singleLine = PsqlVariableEffects.isOn(variables["SINGLELINE"])
        onErrorStop = variables.bool("ON_ERROR_STOP", default: true)
        showAllResults = variables.bool("SHOW_ALL_RESULTS", default: true)
        echo = PsqlVariableEffects.Echo(variables["ECHO"])
        let rollback = variables["ON_ERROR_ROLLBACK"] ?? "interactive"
        onErrorRollback = rollback.lowercased() == "interactive" ? .interactive : (Variables.parseBool(rollback) ?? false) ? .on : .off
        fetchCount = variables["FETCH_COUNT"].flatMap { Int($0) }.map { max($0, 0) } ?? 0
        copyPrompt = variables["PROMPT3"] ?? ">> "
    }
}
