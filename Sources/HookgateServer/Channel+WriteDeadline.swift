import NIOCore

extension Channel {
    /// Runs `write` (an answer's parts written to this channel), closing the channel if it has not finished within
    /// `timeout`: a client that stops reading its answers would otherwise hold the connection, its task and its
    /// file descriptor for ever (the read timeout does not run while an answer is written).
    func writing<T>(within timeout: TimeAmount, _ write: () async throws -> T) async throws -> T {
        let deadline = self.eventLoop.scheduleTask(in: timeout) { [self] in self.close(promise: nil) }
        defer { deadline.cancel() }
        return try await write()
    }
}
