/// The open `\if` blocks of one input (psql keeps one stack per file: an `\i` file starts empty
/// and must close what it opens).
struct ConditionalStack {
    /// Where an `\if` block stands (psql's `ifState`).
    enum Branch: Equatable {
        /// In a branch that is taken (`\if` or `\elif` was true).
        case taken
        /// In a branch that is not taken, and no branch of the block was taken yet.
        case notYetTaken
        /// In a branch that is not taken because another one was (or the whole block is inside
        /// a branch that is not taken).
        case skipped
        /// After `\else`, taken.
        case elseTaken
        /// After `\else`, not taken.
        case elseSkipped

        var isActive: Bool { self == .taken || self == .elseTaken }
        var isElse: Bool { self == .elseTaken || self == .elseSkipped }
    }

    struct Block {
        var branch: Branch
        /// The query buffer as it was when the block (or its last taken branch) began: text
        /// typed in a branch that is not taken is dropped back to it.
        var bufferMark: StatementSplitter.Mark
    }

    private(set) var blocks: [Block] = []

    var isEmpty: Bool { blocks.isEmpty }

    /// True when commands and statements run here: every enclosing branch is taken.
    var isActive: Bool { blocks.last.map { $0.branch.isActive } ?? true }

    var innermost: Branch? { blocks.last?.branch }

    mutating func push(_ branch: Branch, mark: StatementSplitter.Mark) {
        blocks.append(Block(branch: branch, bufferMark: mark))
    }

    mutating func setInnermost(_ branch: Branch) {
        blocks[blocks.count - 1].branch = branch
    }

    mutating func setInnermostMark(_ mark: StatementSplitter.Mark) {
        blocks[blocks.count - 1].bufferMark = mark
    }

    var innermostMark: StatementSplitter.Mark? { blocks.last?.bufferMark }

    mutating func pop() { blocks.removeLast() }
}
