import Foundation
import HookgateCore
import HookgateDelivery
import HookgateEmulator
import HookgateStore
import HookgateTestSupport
import Logging
import Metrics
import NIOCore
import NIOPosix

/// A SQLite store in a fresh temporary directory and Hookgate's Stripe emulator on a loopback port, for the
/// command worker's tests; ``runWorker(requestTimeout:retry:_:)`` runs a worker against both.
struct CommandHarness {
    static let apiKey = "sk_test_commandWorkerNeverShown"
    /// Fast retries, so retry tests take seconds.
    static let fastRetry = UpstreamRetryPolicy(base: .milliseconds(100), cap: .milliseconds(400))

    let directory: URL
    let store: SQLiteDeliveryStore
    /// The emulator, also asked directly (its request log, its objects).
    let api: StripeAPI
    /// `http://127.0.0.1:<port>`.
    let base: String

    /// Runs `body` with the store and the emulator (with `faults`); closes both and removes the directory after.
    static func run<T>(faults: APIFaults = APIFaults(), _ body: (CommandHarness) async throws -> T) async throws -> T {
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("hgc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteDeliveryStore.running(
            configuration: .init(path: directory.appendingPathComponent("store.sqlite").path)
        )
        let api = StripeAPI(forwards: false, now: { Int64(Date().timeIntervalSince1970 * 1000) }, faults: faults)
        let channel: any Channel
        do {
            channel = try await EmulatorServer(api: api, tls: nil).bind(
                host: "127.0.0.1",
                port: 0,
                group: MultiThreadedEventLoopGroup.singleton
            )
        } catch {
            await store.close()
            throw error
        }
        let harness = CommandHarness(
            directory: directory,
            store: store,
            api: api,
            base: "http://127.0.0.1:\(channel.localAddress?.port ?? 0)"
        )
        do {
            let result = try await body(harness)
            try? await channel.close()
            await store.close()
            return result
        } catch {
            try? await channel.close()
            await store.close()
            throw error
        }
    }

    /// A worker against the store and the emulator, with the clock `now` (the wall clock unless a test moves it).
    func worker(
        requestTimeout: Duration = .seconds(10),
        retry: UpstreamRetryPolicy = CommandHarness.fastRetry,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> CommandWorker {
        CommandWorker(
            store: store,
            stripeAPI: StripeAPISettings(apiBase: base, apiKey: Secret(Self.apiKey), keySource: "test"),
            retry: retry,
            requestTimeout: requestTimeout,
            metricsFactory: NOOPMetricsHandler.instance,
            logger: Logger(label: "test.commands"),
            now: now
        )
    }

    /// Runs `body` while a worker runs; cancels the worker after.
    func runWorker<T>(
        requestTimeout: Duration = .seconds(10),
        retry: UpstreamRetryPolicy = CommandHarness.fastRetry,
        now: @escaping @Sendable () -> Date = { Date() },
        _ body: (CommandWorker) async throws -> T
    ) async throws -> T {
        let worker = self.worker(requestTimeout: requestTimeout, retry: retry, now: now)
        let running = Task { try await worker.run() }
        defer { running.cancel() }
        let result = try await body(worker)
        running.cancel()
        _ = try? await running.value
        return result
    }

    /// Appends a payment-requested CloudEvent as the commands socket stores it (``StripeCommand/parse(_:)``).
    @discardableResult
    func requestPayment(
        id: String,
        order: String,
        amount: Int = 2000,
        paymentMethod: String,
        customer: String? = nil
    ) async throws -> CommandID {
        var data: [(String, JSONValue)] = [
            ("orderId", .string(order)), ("amount", .integer(Int64(amount))), ("currency", .string("usd")),
            ("paymentMethodId", .string(paymentMethod)),
        ]
        if let customer { data.append(("customerId", .string(customer))) }
        return try await append(id: id, type: "payment-requested", order: order, data: data)
    }

    /// Appends a refund-requested CloudEvent as the commands socket stores it.
    @discardableResult
    func requestRefund(id: String, order: String, payment: String, amount: Int? = nil) async throws -> CommandID {
        var data: [(String, JSONValue)] = [("orderId", .string(order)), ("paymentId", .string(payment))]
        if let amount { data.append(("amount", .integer(Int64(amount)))) }
        return try await append(id: id, type: "refund-requested", order: order, data: data)
    }

    private func append(
        id: String,
        type: String,
        order: String,
        data: [(String, JSONValue)]
    ) async throws -> CommandID {
        func object(_ members: [(String, JSONValue)]) -> JSONValue {
            .object(members.map { JSONValue.Member(key: $0.0, value: $0.1) })
        }
        let event = object([
            ("specversion", .string("1.0")), ("id", .string(id)), ("source", .string("payments-platform/tests")),
            ("type", .string(type)), ("subject", .string(order)), ("data", object(data)),
        ])
        let body = Array(event.serialized(indent: 0).utf8)
        let parsed = try StripeCommand.parse(body)
        let command = NewCommand(
            commandID: parsed.id,
            kind: parsed.kind.rawValue,
            source: parsed.source,
            subject: parsed.subject,
            receivedAt: Date(),
            body: Data(body),
            request: StripeRequest(
                method: parsed.method,
                path: parsed.path,
                form: Data(parsed.form),
                idempotencyKey: parsed.idempotencyKey
            )
        )
        guard case .stored(let stored) = try await store.appendCommand(command) else {
            throw HarnessError(reason: "not stored: \(id)")
        }
        return stored
    }

    /// Waits until the command satisfies `condition` (or `timeout` passes) and returns it with its attempts.
    func waitFor(
        _ id: CommandID,
        timeout: Duration = .seconds(20),
        _ condition: (CommandDetail) -> Bool = { $0.record.state.isFinal }
    ) async throws -> CommandDetail {
        let deadline = ContinuousClock.now + timeout
        while true {
            let detail = try await store.command(id)
            if let detail, condition(detail) || ContinuousClock.now >= deadline { return detail }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `GET path` of the emulator, in process, as JSON.
    func get(_ target: String) throws -> JSONValue {
        let response = api.respond(
            to: APIRequest(method: "GET", target: target, headers: [("Authorization", "Bearer \(Self.apiKey)")])
        )
        return try JSONValueParser.parse(response.body)
    }

    /// The emulator's log of the POSTs with this idempotency key, oldest first.
    func requests(idempotencyKey key: String) throws -> [JSONValue] {
        guard case .array(let entries)? = try get("/_emulator/requests?idempotency_key=\(key)&limit=100")["data"] else {
            return []
        }
        return entries.reversed()
    }

    /// The emulator's list of `path` (`/v1/payment_intents`), newest first.
    func list(_ path: String) throws -> [JSONValue] {
        guard case .array(let entries)? = try get(path + "?limit=100")["data"] else { return [] }
        return entries
    }
}
