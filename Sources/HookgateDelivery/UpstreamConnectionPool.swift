import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Kept-alive HTTP/1.1 connections to the upstream's Unix socket: at most `capacity`, opened on demand, one
/// request in flight on each (no pipelining), reused while the upstream keeps them alive, closed after
/// ``idleTimeout`` unused. A request that finds every connection busy waits, until its deadline, for one to come
/// free. A failed connect fails its request at once: it is not tried again.
final class UpstreamConnectionPool: Sendable {
    /// How long opening a connection may take.
    static let connectTimeout = TimeAmount.seconds(2)
    /// How long a connection may sit unused before it is closed.
    static let idleTimeout = TimeAmount.seconds(60)

    /// What a waiting request is handed when a connection comes free.
    private enum Handoff: Sendable {
        /// A kept-alive connection to use.
        case connection(any Channel)
        /// A closed connection's place: open a new one.
        case open
    }

    /// A request waiting for a connection.
    private struct Waiter {
        var id: Int
        var promise: EventLoopPromise<Handoff>
    }

    /// What a request does to get a connection.
    private enum Next {
        case use(any Channel)
        case open
        case wait(Waiter)
    }

    /// The pool's bookkeeping.
    private struct State {
        /// Open connections with no request in flight, the most recently used last.
        var idle: [any Channel] = []
        /// Open connections, idle or busy, by identity.
        var connections: [ObjectIdentifier: any Channel] = [:]
        /// Connections being opened.
        var opening = 0
        /// Requests waiting for a connection, the longest waiting first.
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var isShutDown = false

        /// The first waiter, now allowed to open a connection (its place is counted as opening).
        mutating func waiterToOpen() -> Waiter? {
            guard !waiters.isEmpty else { return nil }
            opening += 1
            return waiters.removeFirst()
        }
    }

    private let address: SocketAddress
    private let capacity: Int
    private let maximumBodyBytes: Int
    private let group: any EventLoopGroup
    /// A lock, as elsewhere in this module: the attempts' tasks and the connections' event loops (close
    /// notifications, waiters' deadlines) all change the state, briefly and never across a suspension.
    private let state = NIOLockedValueBox(State())

    /// - Parameters:
    ///   - address: The upstream's Unix socket.
    ///   - capacity: The most connections open at once.
    ///   - maximumBodyBytes: The longest response body read; a longer one fails its request.
    ///   - group: Where the connections run.
    init(
        address: SocketAddress,
        capacity: Int,
        maximumBodyBytes: Int,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.address = address
        self.capacity = max(1, capacity)
        self.maximumBodyBytes = maximumBodyBytes
        self.group = group
    }

    /// Sends one request, `bytes`, on a free connection and returns the answer.
    /// - Throws: ``UpstreamTransportError/timeout`` at the deadline, the socket's error when no connection can be
    ///   opened, the connection's error when it fails (``UpstreamTransportError``, `IOError`, `ChannelError`),
    ///   `CancellationError` when the task is cancelled.
    func execute(_ bytes: ByteBuffer, deadline: NIODeadline) async throws -> UpstreamResponse {
        let connection = try await self.connection(deadline: deadline)
        let promise = connection.eventLoop.makePromise(of: UpstreamResponse.self)
        connection.writeAndFlush(UpstreamRequest(bytes: bytes, deadline: deadline, response: promise))
            .cascadeFailure(to: promise)
        do {
            let response = try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                promise.fail(CancellationError())
            }
            release(connection, reusable: response.keepAlive)
            return response
        } catch {
            release(connection, reusable: false)
            throw error
        }
    }

    /// Closes every connection and fails the requests waiting for one. Requests sent afterwards fail with
    /// ``UpstreamTransportError/shutDown``.
    func shutdown() async {
        let (connections, waiters) = state.withLockedValue { state in
            state.isShutDown = true
            state.idle = []
            defer { state.waiters = [] }
            return (Array(state.connections.values), state.waiters)
        }
        for waiter in waiters { waiter.promise.fail(UpstreamTransportError.shutDown) }
        for connection in connections { try? await connection.close() }
    }

    /// An idle connection, a new one if there are fewer than `capacity`, or the next to come free.
    private func connection(deadline: NIODeadline) async throws -> any Channel {
        let next = try state.withLockedValue { state throws(UpstreamTransportError) -> Next in
            guard !state.isShutDown else { throw .shutDown }
            while let idle = state.idle.popLast() {
                // One the upstream closed a moment ago is forgotten when its close is seen.
                if idle.isActive { return .use(idle) }
            }
            guard state.connections.count + state.opening >= capacity else {
                state.opening += 1
                return .open
            }
            let waiter = Waiter(id: state.nextWaiterID, promise: group.any().makePromise(of: Handoff.self))
            state.nextWaiterID += 1
            state.waiters.append(waiter)
            return .wait(waiter)
        }
        switch next {
        case .use(let connection):
            return connection
        case .open:
            return try await open(deadline: deadline)
        case .wait(let waiter):
            switch try await wait(waiter, deadline: deadline) {
            case .connection(let connection): return connection
            case .open: return try await open(deadline: deadline)
            }
        }
    }

    /// Waits until `waiter` is handed a connection or a place for one; fails at the deadline or on cancellation.
    private func wait(_ waiter: Waiter, deadline: NIODeadline) async throws -> Handoff {
        let timeout = waiter.promise.futureResult.eventLoop.scheduleTask(deadline: deadline) {
            if self.removeWaiter(waiter.id) { waiter.promise.fail(UpstreamTransportError.timeout) }
        }
        defer { timeout.cancel() }
        return try await withTaskCancellationHandler {
            try await waiter.promise.futureResult.get()
        } onCancel: {
            if self.removeWaiter(waiter.id) { waiter.promise.fail(CancellationError()) }
        }
    }

    /// Takes a waiter out of the queue; false when it was handed something already.
    private func removeWaiter(_ id: Int) -> Bool {
        state.withLockedValue { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return false }
            state.waiters.remove(at: index)
            return true
        }
    }

    /// Opens a connection (its place is already counted as opening) and adds it to the pool.
    private func open(deadline: NIODeadline) async throws -> any Channel {
        let connection: any Channel
        do {
            let remaining = deadline - .now()
            guard remaining > .zero else { throw UpstreamTransportError.timeout }
            do {
                connection = try await bootstrap(connectTimeout: min(Self.connectTimeout, remaining))
                    .connect(to: address)
                    .get()
            } catch ChannelError.connectTimeout where remaining < Self.connectTimeout {
                // The attempt's deadline cut the connect short: the attempt timed out.
                throw UpstreamTransportError.timeout
            }
        } catch {
            let waiter = state.withLockedValue { state in
                state.opening -= 1
                return state.waiterToOpen()
            }
            waiter?.promise.succeed(.open)
            throw error
        }
        let added = state.withLockedValue { state in
            state.opening -= 1
            guard !state.isShutDown else { return false }
            state.connections[ObjectIdentifier(connection)] = connection
            return true
        }
        guard added else {
            connection.close(promise: nil)
            throw UpstreamTransportError.shutDown
        }
        connection.closeFuture.whenComplete { _ in self.forget(connection) }
        return connection
    }

    /// Gives a connection back after a request: to the longest waiting request, to the idle ones, or, when it
    /// cannot carry another request, closed.
    private func release(_ connection: any Channel, reusable: Bool) {
        guard reusable && connection.isActive else {
            connection.close(promise: nil)
            forget(connection)
            return
        }
        let (kept, waiter) = state.withLockedValue { state -> (Bool, Waiter?) in
            guard !state.isShutDown else { return (false, nil) }
            guard state.waiters.isEmpty else { return (true, state.waiters.removeFirst()) }
            state.idle.append(connection)
            return (true, nil)
        }
        if !kept { connection.close(promise: nil) }
        waiter?.promise.succeed(.connection(connection))
    }

    /// Takes a closed connection out of the pool and gives its place to the longest waiting request.
    private func forget(_ connection: any Channel) {
        let waiter = state.withLockedValue { state -> Waiter? in
            guard state.connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return nil }
            state.idle.removeAll { $0 === connection }
            return state.waiterToOpen()
        }
        waiter?.promise.succeed(.open)
    }

    /// A bootstrap whose connections carry the client's pipeline.
    private func bootstrap(connectTimeout: TimeAmount) -> ClientBootstrap {
        let maximumBodyBytes = self.maximumBodyBytes
        return ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try UpstreamResponseHandler.addHandlers(
                        to: channel.pipeline.syncOperations,
                        maximumBodyBytes: maximumBodyBytes,
                        idleTimeout: Self.idleTimeout
                    )
                }
            }
    }
}
