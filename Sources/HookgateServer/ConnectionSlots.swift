import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// How many connections a local listener (the commands socket, the admin listener) serves at once. A connection
/// past the bound is closed as soon as it is accepted, so a client that opens connections without end cannot use
/// up the file descriptors the webhook listener and the store share; the refusals are logged at most once a
/// minute, so it cannot flood the log either.
final class ConnectionSlots: Sendable {
    /// An HTTP/1.1 connection as the listeners accept it.
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// The most connections served at once.
    let maximum: Int
    /// Names the listener in the refusals' log line (`commands`, `admin`).
    private let listener: String
    private let logger: Logger
    private let taken = NIOLockedValueBox(0)
    /// Connections refused since the last report, and when that was.
    private let refusals = NIOLockedValueBox((count: 0, reported: ContinuousClock.Instant?.none))

    init(maximum: Int, listener: String, logger: Logger) {
        self.maximum = max(maximum, 1)
        self.listener = listener
        self.logger = logger
    }

    /// Serves each connection `inbound` accepts with `serve`, in a task of its own, while a slot is free; closes
    /// one past the bound at once. Returns when `inbound` ends, once every connection's task has.
    func serve(
        _ inbound: NIOAsyncChannelInboundStream<Connection>,
        _ serve: @escaping @Sendable (Connection) async -> Void
    ) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for try await connection in inbound {
                guard self.take() else {
                    try? await connection.executeThenClose { _, _ in }
                    self.reportRefusal()
                    continue
                }
                group.addTask {
                    await serve(connection)
                    self.taken.withLockedValue { $0 -= 1 }
                }
            }
        }
    }

    /// Takes a slot for a new connection; false when every slot is taken.
    private func take() -> Bool {
        self.taken.withLockedValue { taken in
            guard taken < self.maximum else { return false }
            taken += 1
            return true
        }
    }

    /// Counts a refused connection, and logs how many were refused since the last line: at the first, then at
    /// most once a minute.
    private func reportRefusal(now: ContinuousClock.Instant = .now) {
        let refused = self.refusals.withLockedValue { refusals -> Int? in
            refusals.count += 1
            if let reported = refusals.reported, now - reported < .seconds(60) { return nil }
            defer { refusals = (0, now) }
            return refusals.count
        }
        guard let refused else { return }
        self.logger.warning(
            "\(self.listener) connections refused: too many at once",
            metadata: ["maximum": "\(self.maximum)", "refused": "\(refused)"]
        )
    }
}
