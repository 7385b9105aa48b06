import Logging
import PostgresNIO

/// Wake-ups across replicas: after a commit that made work (a routed delivery stored, deliveries requeued),
/// this replica sends `NOTIFY hookgate_work`; every replica listens on that channel and hints its own worker
/// (``DeliveryStore/workAvailable()``). A hint only: a lost one costs at most the worker's poll interval.
///
/// The NOTIFY is never part of the append's transaction (a NOTIFY takes a database-wide lock at its commit,
/// which would serialize every replica's appends). It is a statement of its own, after the commit, off the
/// append's path, and coalesced: while one is being sent, any number of requests make one more.
struct PostgresWorkNotifications: Sendable {
    /// The channel every replica listens on.
    static let channel = "hookgate_work"

    private let requests: AsyncStream<Void>
    private let requestsContinuation: AsyncStream<Void>.Continuation
    /// This store's notifications carry it (random, one per store), so that its listener ignores its own.
    private let sender: String

    init(sender: String) {
        (self.requests, self.requestsContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.sender = sender
    }

    /// Asks for one NOTIFY soon (coalesced with those not sent yet).
    func request() {
        requestsContinuation.yield()
    }

    /// Sends the requested notifications until cancelled.
    func sendRequested(through pool: PostgresPool, logger: Logger) async {
        for await _ in requests {
            do throws(StoreError) {
                _ = try await pool.rows(
                    "SELECT pg_notify(\(Self.channel), \(sender))",
                    limit: .seconds(1),
                    logger: logger
                )
            } catch {
                logger.debug("cannot notify the other replicas", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Listens on ``channel`` on a connection of its own and calls `wake` for every other replica's
    /// notification, reconnecting (after a second) when the connection fails, until cancelled.
    func listen(
        _ configuration: PostgresConnection.Configuration,
        logger: Logger,
        wake: @escaping @Sendable () -> Void
    ) async {
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration,
                    id: 1,
                    logger: logger
                )
                do {
                    // The notification sequence ends when the connection closes: closing it ends the listening.
                    try await withTaskCancellationHandler {
                        try await connection.listen(on: Self.channel) { notifications in
                            // After a (re)connection, work may have been made while nobody listened.
                            wake()
                            for try await notification in notifications where notification.payload != sender {
                                wake()
                            }
                        }
                    } onCancel: {
                        _ = connection.close() as EventLoopFuture<Void>
                    }
                } catch {
                    logger.debug("the notification connection failed", metadata: ["error": "\(error)"])
                }
                try? await connection.close()
            } catch {
                logger.debug("cannot listen for the other replicas", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
