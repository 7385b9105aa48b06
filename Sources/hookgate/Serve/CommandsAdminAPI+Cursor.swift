import HookgateStore

extension AdminAPICursor {
    /// The cursor text of a command list's `next`: written as a delivery's (`<received ms>.<id>`).
    static func text(_ cursor: CommandCursor) -> String {
        self.text(DeliveryCursor(receivedAt: cursor.receivedAt, id: DeliveryID(cursor.id.rawValue)))
    }

    /// The command cursor `text` stands for; nil when it is not one this API wrote.
    static func commandCursor(_ text: String) -> CommandCursor? {
        self.cursor(text).map { CommandCursor(receivedAt: $0.receivedAt, id: CommandID($0.id.rawValue)) }
    }
}
