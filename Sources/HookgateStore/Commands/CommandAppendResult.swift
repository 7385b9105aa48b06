/// What ``CommandStore/appendCommand(_:)`` did. Whichever it is, the command is committed when it is returned.
public enum CommandAppendResult: Hashable, Sendable {
    /// The command is new and was stored under this id.
    case stored(CommandID)
    /// A command with the same id and the same Stripe request was stored before under this id.
    case duplicate(CommandID)
    /// A command with the same id but another Stripe request was stored before under this id; nothing was
    /// written (reusing an id for another payment would be refused by Stripe's idempotency check anyway).
    case conflict(CommandID)

    /// The id of the stored command, new or existing.
    public var id: CommandID {
        switch self {
        case .stored(let id), .duplicate(let id), .conflict(let id): id
        }
    }
}
