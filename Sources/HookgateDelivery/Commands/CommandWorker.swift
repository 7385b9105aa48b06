public import Foundation
public import HookgateCore
public import HookgateStore
public import Logging
public import Metrics
import NIOConcurrencyHelpers
public import ServiceLifecycle

/// Sends stored commands (payment-requested, refund-requested) to Stripe's API: claims due commands with a
/// lease, POSTs each one's stored form with its `Idempotency-Key` (the CloudEvent id), records every attempt
/// with Stripe's answer, and moves the command as ``CommandAttemptVerdict`` decides (delivered, retried with
/// the retry policy's backoff or Stripe's `Retry-After`, or dead).
///
/// It claims when the store hints that commands are available (``CommandStore/commandsAvailable()``, after
/// this process's appends and requeues) and at every ``pollInterval`` (retries coming due, other replicas'
/// commands), never more than free slots: at most ``maximumInFlight`` requests run at once. On graceful
/// shutdown it stops claiming and lets the requests in flight finish (each bounded by ``requestTimeout``). If
/// the process dies instead, the leases expire and the commands are sent again after the restart, with the same
/// key, so Stripe runs each at most once.
public final class CommandWorker: Service {
    /// How often due commands are looked for when nothing else wakes the worker.
    public static let pollInterval: Duration = .milliseconds(500)
    /// Requests at once by default: commands are few, and Stripe limits a key's request rate.
    public static let defaultMaximumInFlight = 4
    /// How long one request may take by default (Stripe's own libraries wait up to 80 s; a timeout is retried
    /// with the same key, so a shorter one costs nothing but a retry).
    public static let defaultRequestTimeout: Duration = .seconds(30)
    /// How long after its request should have ended a lease expires: covers a slow store commit.
    static let leaseMargin: Duration = .seconds(30)

    private let store: any CommandStore
    private let stripeAPI: StripeAPISettings
    private let retry: UpstreamRetryPolicy
    /// The most requests at once.
    public let maximumInFlight: Int
    /// The most one request may take.
    public let requestTimeout: Duration
    private let metrics: CommandMetrics
    private let logger: Logger
    private let now: @Sendable () -> Date
    /// Whether the last request got an answer; nil before the first.
    private let reachable = NIOLockedValueBox<Bool?>(nil)

    /// - Parameters:
    ///   - store: Where the commands are.
    ///   - stripeAPI: Stripe's API base and secret key.
    ///   - retry: The backoff and give-up of retries (the upstream's policy); retries stop before Stripe forgets
    ///     the idempotency key in any case (``IdempotencyWindow``).
    ///   - maximumInFlight: The most requests at once.
    ///   - requestTimeout: The most one request may take.
    ///   - metricsFactory: Where the command metrics are registered.
    ///   - logger: Where attempts that fail are logged (never with the key).
    ///   - now: The clock of claims, attempts and retries (tests pass their own).
    public init(
        store: any CommandStore,
        stripeAPI: StripeAPISettings,
        retry: UpstreamRetryPolicy,
        maximumInFlight: Int = CommandWorker.defaultMaximumInFlight,
        requestTimeout: Duration = CommandWorker.defaultRequestTimeout,
        metricsFactory: any MetricsFactory,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.stripeAPI = stripeAPI
        self.retry = retry
        self.maximumInFlight = max(maximumInFlight, 1)
        self.requestTimeout = requestTimeout
        self.metrics = CommandMetrics(factory: metricsFactory)
        self.logger = logger
        self.now = now
    }

    /// Whether Stripe's API answered the last request (any status): `false` after a network failure or a
    /// timeout, `nil` before the first request. What a health page shows.
    public var isStripeReachable: Bool? {
        reachable.withLockedValue { $0 }
    }

    public func run() async throws {
        let client = StripeAPIClient(settings: stripeAPI, timeout: requestTimeout)
        let (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let hints = store.commandsAvailable()
        let inFlight = NIOLockedValueBox(0)
        await withDiscardingTaskGroup { wakers in
            wakers.addTask {
                for await _ in hints { wakeup.yield() }
            }
            wakers.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.pollInterval)
                    wakeup.yield()
                }
            }
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { attempts in
                    wakeup.yield()
                    for await _ in wakeups {
                        let free = maximumInFlight - inFlight.withLockedValue { $0 }
                        guard free > 0 else { continue }
                        let leases: [CommandLease]
                        do {
                            leases = try await store.claimDueCommands(
                                now: now(),
                                leaseDuration: requestTimeout + Self.leaseMargin,
                                limit: free
                            )
                        } catch {
                            logger.error("cannot claim commands", metadata: ["error": "\(error)"])
                            try? await Task.sleep(for: .seconds(1))
                            continue
                        }
                        for lease in leases {
                            inFlight.withLockedValue { $0 += 1 }
                            attempts.addTask {
                                await self.attempt(lease, client: client)
                                inFlight.withLockedValue { $0 -= 1 }
                                wakeup.yield()
                            }
                        }
                        // All free slots taken: more may be due once one is free again.
                        if leases.count == free { wakeup.yield() }
                    }
                }
            } onGracefulShutdown: {
                wakeup.finish()
            }
            wakers.cancelAll()
        }
        await client.shutdown()
    }

    /// One attempt: send the stored request, classify Stripe's answer, record both; or, past the
    /// ``IdempotencyWindow``, record the command dead without sending it. A lost lease is logged; its command is
    /// someone else's now.
    private func attempt(_ lease: CommandLease, client: StripeAPIClient) async {
        let record = lease.record
        let number = record.attemptCount + 1
        let report: CommandAttemptReport
        let verdict: CommandAttemptVerdict
        if let refusal = IdempotencyWindow.refusal(receivedAt: record.received.receivedAt, now: now()) {
            verdict = CommandAttemptVerdict(outcome: .dead, stripeObject: nil, error: "not sent: " + refusal)
            report = CommandAttemptReport(
                startedAt: now(),
                duration: .zero,
                status: nil,
                requestID: nil,
                idempotentReplayed: false,
                response: nil,
                error: verdict.error
            )
        } else {
            (report, verdict) = await self.send(record, number: number, client: client)
        }
        var metadata: Logger.Metadata = [
            "command": "\(record.id.rawValue)", "command_id": "\(record.received.commandID)",
            "attempts": "\(number)",
        ]
        if let requestID = report.requestID { metadata["stripe.request_id"] = "\(requestID)" }
        do {
            try await store.completeCommandAttempt(
                lease,
                report: report,
                outcome: verdict.outcome,
                stripeObject: verdict.stripeObject
            )
        } catch {
            metadata["error"] = "\(error)"
            logger.warning("command attempt not recorded", metadata: metadata)
            return
        }
        metrics.attemptFinished(outcome: verdict.outcome, duration: report.duration)
        metadata["error"] = verdict.error.map { "\($0)" }
        switch verdict.outcome {
        case .delivered, .skipped:
            break
        case .dead:
            logger.warning("command is dead", metadata: metadata)
        case .retry(let at):
            metadata["at"] = "\(at)"
            logger.info("command will be retried", metadata: metadata)
        }
    }

    /// Sends `record`'s stored request, its `number`-th, and classifies the answer.
    private func send(
        _ record: CommandRecord,
        number: Int,
        client: StripeAPIClient
    ) async -> (CommandAttemptReport, CommandAttemptVerdict) {
        let request = record.received.request
        let started = now()
        let clock = ContinuousClock()
        let began = clock.now
        let result: Result<StripeAPIAnswer, StripeAPIRequestError>
        do {
            result = .success(
                try await client.post(
                    request.path,
                    form: Array(request.form),
                    idempotencyKey: request.idempotencyKey,
                    logger: logger
                )
            )
        } catch {
            result = .failure(error)
        }
        let duration = clock.now - began
        let answer = try? result.get()
        if case .failure(let failure) = result, [.network, .timeout].contains(failure.code) {
            reachable.withLockedValue { $0 = false }
        } else if answer != nil {
            reachable.withLockedValue { $0 = true }
        }
        let verdict = CommandAttemptVerdict(
            classifying: result,
            request: "\(request.method) \(request.path)",
            key: stripeAPI.apiKey,
            attempts: number,
            receivedAt: record.received.receivedAt,
            now: now(),
            retry: retry
        )
        let report = CommandAttemptReport(
            startedAt: started,
            duration: duration,
            status: answer?.status,
            requestID: answer?.requestID,
            idempotentReplayed: answer?.idempotentReplayed ?? false,
            response: answer.map { Data($0.body) },  // the store keeps the first maximumResponseBytes
            error: verdict.error
        )
        return (report, verdict)
    }
}
