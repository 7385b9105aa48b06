extension StoreError {
    /// ``Code/deliveryNotFound`` for a command: no command has this id.
    public static func deliveryNotFound(_ id: CommandID, file: String = #fileID, line: Int = #line) -> Self {
        Self(.deliveryNotFound, detail: "command \(id)", file: file, line: line)
    }

    /// ``Code/deliveryBusy`` for a command: it is not dead, so it cannot be requeued.
    public static func deliveryBusy(_ id: CommandID, file: String = #fileID, line: Int = #line) -> Self {
        Self(.deliveryBusy, detail: "command \(id)", file: file, line: line)
    }

    /// ``Code/leaseLost`` for a command: its lease expired and it was claimed again, or it changed.
    public static func leaseLost(_ id: CommandID, file: String = #fileID, line: Int = #line) -> Self {
        Self(.leaseLost, detail: "command \(id)", file: file, line: line)
    }
}
