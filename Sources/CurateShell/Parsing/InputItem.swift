/// Something complete in the input: a statement ended by `;`, or a backslash command.
public enum InputItem: Equatable, Sendable {
    case statement(SQLStatement)
    case command(CommandInvocation)
}
