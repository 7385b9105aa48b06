public import AsyncHTTPClient
public import HookgateCore
import NIOCore
import NIOHTTP1

/// Sends the events ``StripeAPI`` makes as signed webhooks (`Stripe-Signature`, a fresh timestamp per
/// attempt) to one URL, retrying non-2xx answers on a ``RetrySchedule`` and misbehaving as ``NetworkFaults``
/// says. Each event's outcome goes back to the API (`delivery_success`).
public struct WebhookDispatcher: Sendable {
    /// The longest answer body read (and ignored).
    static let maximumResponseBytes = 64 * 1024

    /// Where and how to send.
    public struct Configuration: Sendable {
        public var url: String
        /// The endpoint's signing keys (one `v1` each).
        public var keys: [HMACKey]
        /// Send thin events (`v2.core.event`) instead of snapshot events.
        public var thin: Bool
        public var faults: NetworkFaults
        public var schedule: RetrySchedule
        /// How long one attempt may take.
        public var timeout: Duration

        public init(
            url: String,
            keys: [HMACKey],
            thin: Bool,
            faults: NetworkFaults,
            schedule: RetrySchedule,
            timeout: Duration
        ) {
            self.url = url
            self.keys = keys
            self.thin = thin
            self.faults = faults
            self.schedule = schedule
            self.timeout = timeout
        }
    }

    let api: StripeAPI
    let client: HTTPClient
    let configuration: Configuration
    /// Told about every attempt.
    let report: @Sendable (DeliveryAttempt) -> Void
    /// The current Unix time in seconds, for the signatures' timestamps.
    let now: @Sendable () -> Int64

    public init(
        api: StripeAPI,
        client: HTTPClient,
        configuration: Configuration,
        now: @escaping @Sendable () -> Int64,
        report: @escaping @Sendable (DeliveryAttempt) -> Void
    ) {
        self.api = api
        self.client = client
        self.configuration = configuration
        self.now = now
        self.report = report
    }

    /// Sends every event made until ``StripeAPI/finish()``, then returns once every send, retries included, is
    /// done; cancelling its task stops the retries that wait (an attempt cut short is not reported).
    public func run() async {
        var random = SeededGenerator(seed: self.configuration.faults.seed)
        await withDiscardingTaskGroup { group in
            for await batch in self.api.newEvents {
                let plan = self.configuration.faults.plan(batch, using: &random)
                for id in plan.dropped {
                    let stateFailure = self.api.setDelivery(.failed, eventID: id)
                    self.report(
                        DeliveryAttempt(
                            eventID: id,
                            eventType: self.api.eventType(id) ?? "",
                            attempt: 0,
                            copy: 1,
                            result: stateFailure.map { "dropped (the state file could not be written: \($0))" }
                                ?? "dropped",
                            outcome: .dropped
                        )
                    )
                }
                for send in plan.sends {
                    if send.delayMilliseconds == 0 {
                        // In order: the first attempt is made before the next event's.
                        if await self.attempt(send, number: 1) { continue }
                        group.addTask { await self.retry(send, after: 1) }
                    } else {
                        group.addTask {
                            do {
                                try await Task.sleep(for: .milliseconds(send.delayMilliseconds))
                            } catch {
                                return
                            }
                            if await self.attempt(send, number: 1) { return }
                            await self.retry(send, after: 1)
                        }
                    }
                }
            }
        }
    }

    /// Tries again on the schedule until an attempt is answered 2xx or none is left.
    private func retry(_ send: NetworkFaults.Send, after first: Int) async {
        var number = first
        while let delay = self.configuration.schedule.delay(after: number) {
            do {
                try await Task.sleep(for: delay)
            } catch {
                return
            }
            number += 1
            if await self.attempt(send, number: number) { return }
        }
    }

    /// One signed POST; whether it was answered 2xx. Records the event's delivery state and reports.
    private func attempt(_ send: NetworkFaults.Send, number: Int) async -> Bool {
        guard let body = self.api.webhookBody(eventID: send.eventID, thin: self.configuration.thin) else { return true }
        var request = HTTPClientRequest(url: self.configuration.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: StripeAPI.serverName)
        let signature = body.withUnsafeBytes { bytes in
            StripeSignatureScheme().sign(
                body: bytes,
                keys: self.configuration.keys,
                timestamp: self.now(),
                messageID: nil
            )
        }
        for field in signature.fields { request.headers.add(name: field.name, value: field.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let result: String
        let delivered: Bool
        do {
            // The client's deadline ends with the answer's head: the time limit bounds the body too, so a receiver
            // that sends a head and never its body cannot hold the dispatcher.
            let status = try await withTimeLimit(self.configuration.timeout) { [request] in
                let response = try await self.client.execute(
                    request,
                    timeout: .nanoseconds(Int64(self.configuration.timeout.components.seconds) * 1_000_000_000)
                )
                _ = try? await response.body.collect(upTo: Self.maximumResponseBytes)
                return response.status.code
            }
            guard let status else { throw HTTPClientError.deadlineExceeded }
            result = String(status)
            delivered = (200..<300).contains(status)
        } catch {
            // Stopping: the attempt may or may not have arrived; nothing is recorded or reported.
            if Task.isCancelled { return false }
            result = Self.describe(error)
            delivered = false
        }
        let retryDelay = delivered ? nil : self.configuration.schedule.delay(after: number)
        let outcome: DeliveryAttempt.Outcome =
            if delivered { .delivered } else if let retryDelay { .retrying(after: retryDelay) } else { .failed }
        var stateFailure: String?
        switch outcome {
        case .delivered: stateFailure = self.api.setDelivery(.delivered, eventID: send.eventID)
        case .failed: stateFailure = self.api.setDelivery(.failed, eventID: send.eventID)
        case .retrying, .dropped: break
        }
        self.report(
            DeliveryAttempt(
                eventID: send.eventID,
                eventType: self.api.eventType(send.eventID) ?? "",
                attempt: number,
                copy: send.copy,
                result: stateFailure.map { "\(result) (the state file could not be written: \($0))" } ?? result,
                outcome: outcome
            )
        )
        return delivered
    }

    /// A short reason for a failed attempt, without the URL's secrets (there are none) or a body.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            default: break
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return String(text.prefix(200))
    }
}
