import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// The command store (``CommandStore``, ``CommandReader``) on every backend: dedup by CloudEvent id, leases,
/// every transition an attempt makes, requeues, lists with every filter, retention and the store's life.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct CommandStoreContractTests {
    let lease = Duration.seconds(30)

    /// A new id is stored; the same id with the same Stripe request is a duplicate, with another one a conflict;
    /// neither writes anything. The stored command reads back as it was appended.
    @Test(arguments: StoreBackend.all)
    func sameIdIsADuplicateOrAConflict(_ backend: StoreBackend) async throws {
        try await withCommandStore(backend) { store in
            let command = sampleCommand()
            let id = try #require(try await store.appendCommand(command).storedID)
            #expect(try await store.appendCommand(command) == .duplicate(id))
            var later = command
            later.receivedAt = t0.addingTimeInterval(5)
            later.body = Data(#"{"id":"cmd_1","again":true}"#.utf8)
            #expect(try await store.appendCommand(later) == .duplicate(id), "the same request, sent again")
            var other = command
            other.request.form = Data("amount=999&currency=eur".utf8)
            #expect(try await store.appendCommand(other) == .conflict(id))
            var otherPath = command
            otherPath.request.path = "/v1/refunds"
            #expect(try await store.appendCommand(otherPath) == .conflict(id))
            #expect(try await store.countCommands(matching: CommandQuery()) == 1)

            let detail = try #require(try await store.command(commandID: "cmd_1"))
            #expect(detail.record.id == id)
            #expect(detail.record.received == command)
            #expect(detail.record.state == .pending)
            #expect(detail.record.nextAttemptAt == t0)
            #expect(detail.record.attemptCount == 0)
            #expect(detail.record.updatedAt == t0)
            #expect(detail.attempts.isEmpty)
            #expect(try await store.command(id) == detail)
            #expect(try await store.command(CommandID(id.rawValue + 1000)) == nil)
            #expect(try await store.command(commandID: "cmd_missing") == nil)
        }
    }

    /// Commands appended at once, some with the same id, are each stored once.
    @Test(arguments: StoreBackend.all)
    func concurrentAppendsOfOneIdStoreItOnce(_ backend: StoreBackend) async throws {
        try await withCommandStore(backend) { store in
            let results = try await withThrowingTaskGroup(of: CommandAppendResult.self) { group in
                for n in 0..<20 {
                    group.addTask { try await store.appendCommand(sampleCommand(id: "cmd_\(n % 5)")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0.storedID != nil }.count == 5)
            #expect(Set(results.map(\.id)).count == 5)
            #expect(try await store.countCommands(matching: CommandQuery()) == 5)
        }
    }

    /// A due command is leased once; a lease is not taken again until it expires, then the command is leased
    /// anew under another token and the old lease can no longer complete the attempt.
    @Test(arguments: StoreBackend.all)
    func claimsSkipLeasedCommandsAndRetakeExpiredLeases(_ backend: StoreBackend) async throws {
        try await withCommandStore(backend) { store in
            let id = try #require(try await store.appendCommand(sampleCommand()).storedID)
            let crashed = try #require(try await store.claimDueCommands(now: t0, leaseDuration: lease, limit: 5).first)
            #expect(crashed.record.id == id)
            #expect(crashed.record.state == .delivering)
            #expect(crashed.expiresAt == t0.addingTimeInterval(30))
            #expect(crashed.record.leaseExpiresAt == t0.addingTimeInterval(30))
            #expect(crashed.record.received.request == sampleCommand().request)
            #expect(
                try await store.claimDueCommands(now: t0.addingTimeInterval(29), leaseDuration: lease, limit: 5)
                    .isEmpty
            )
            let retaken = try #require(
                try await store.claimDueCommands(now: t0.addingTimeInterval(31), leaseDuration: lease, limit: 5).first
            )
            #expect(retaken.record.id == id)
            #expect(retaken.token != crashed.token)

            let report = CommandAttemptReport(startedAt: t0, duration: .milliseconds(40), status: 200)
            let lost = await #expect(throws: StoreError.self) {
                try await store.completeCommandAttempt(crashed, report: report, outcome: .delivered, stripeObject: nil)
            }
            #expect(lost?.code == .leaseLost)
            try await store.completeCommandAttempt(retaken, report: report, outcome: .delivered, stripeObject: nil)
            let again = await #expect(throws: StoreError.self) {
                try await store.completeCommandAttempt(retaken, report: report, outcome: .delivered, stripeObject: nil)
            }
            #expect(again?.code == .leaseLost, "a lease completes one attempt")
            let detail = try #require(try await store.command(id))
            #expect(detail.record.state == .delivered)
            #expect(detail.attempts.count == 1)
        }
    }

    /// Only due commands are claimed, oldest due first, up to the limit; concurrent claimers never share one.
    @Test(arguments: StoreBackend.all)
    func claimsTakeDueCommandsOldestFirstAndNeverTwice(_ backend: StoreBackend) async throws {
        try await withCommandStore(backend) { store in
            let late = try #require(
                try await store.appendCommand(sampleCommand(id: "cmd_late", receivedAt: t0.addingTimeInterval(10)))
                    .storedID
            )
            let early = try #require(try await store.appendCommand(sampleCommand(id: "cmd_early")).storedID)
            _ = try await store.appendCommand(sampleCommand(id: "cmd_later", receivedAt: t0.addingTimeInterval(20)))
            #expect(
                try await store.claimDueCommands(now: t0.addingTimeInterval(-1), leaseDuration: lease, limit: 5)
                    .isEmpty
            )
            let first = try await store.claimDueCommands(
                now: t0.addingTimeInterval(15),
                leaseDuration: lease,
                limit: 1
            )
            #expect(first.map(\.record.id) == [early])
            let second = try await store.claimDueCommands(
                now: t0.addingTimeInterval(15),
                leaseDuration: lease,
                limit: 5
            )
            #expect(second.map(\.record.id) == [late])

            for n in 0..<40 { _ = try await store.appendCommand(sampleCommand(id: "cmd_many_\(n)")) }
            let claimed = try await withThrowingTaskGroup(of: [CommandID].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.claimDueCommands(now: t0, leaseDuration: lease, limit: 7).map(\.record.id)
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 40)
            #expect(Set(claimed).count == 40)
        }
    }

    /// pending -> delivering -> pending (a retry at a time) -> delivering -> dead -> (requeued) pending ->
    /// delivering -> delivered, each attempt kept with everything reported, the answer cut at the limit, and the
    /// Stripe object kept when a later attempt names none.
    @Test(arguments: StoreBackend.all)
    func attemptsMoveTheCommandAndAreKept(_ backend: StoreBackend) async throws {
        try await withCommandStore(backend) { store in
            let id = try #require(try await store.appendCommand(sampleCommand()).storedID)
            let first = try #require(try await store.claimDueCommands(now: t0, leaseDuration: lease, limit: 1).first)
            let retryAt = t0.addingTimeInterval(60)
            let overlong = Data(repeating: UInt8(ascii: "x"), count: CommandAttemptReport.maximumResponseBytes + 10)
            let busy = CommandAttemptReport(
                startedAt: t0,
                duration: .milliseconds(12),
                status: 409,
                requestID: "req_1",
                response: overlong,
                error: "idempotency_key_in_use"
            )
            try await store.completeCommandAttempt(first, report: busy, outcome: .retry(at: retryAt), stripeObject: nil)
            var record = try #require(try await store.command(id)).record
            #expect(record.state == .pending)
            #expect(record.nextAttemptAt == retryAt)
            #expect(record.leaseExpiresAt == nil)
            #expect(record.attemptCount == 1)
            #expect(record.lastStatus == 409)
            #expect(record.lastError == "idempotency_key_in_use")
            #expect(record.stripeObject == nil)
            #expect(
                try await store.claimDueCommands(now: retryAt.addingTimeInterval(-1), leaseDuration: lease, limit: 1)
                    .isEmpty
            )

            let second = try #require(
                try await store.claimDueCommands(now: retryAt, leaseDuration: lease, limit: 1).first
            )
            let declined = CommandAttemptReport(
                startedAt: retryAt,
                duration: .seconds(2),
                status: 402,
                requestID: "req_2",
                response: Data(#"{"error":{"type":"card_error"}}"#.utf8),
                error: "card_error card_declined: Your card was declined."
            )
            let intent = StripeObjectReference(id: "pi_1", status: "requires_payment_method")
            try await store.completeCommandAttempt(second, report: declined, outcome: .dead, stripeObject: intent)
            record = try #require(try await store.command(id)).record
            #expect(record.state == .dead)
            #expect(record.nextAttemptAt == nil)
            #expect(record.stripeObject == intent)
            #expect(
                try await store.claimDueCommands(now: retryAt.addingTimeInterval(3600), leaseDuration: lease, limit: 1)
                    .isEmpty
            )

            let requeuedAt = retryAt.addingTimeInterval(600)
            try await store.requeueCommand(id, now: requeuedAt)
            record = try #require(try await store.command(id)).record
            #expect(record.state == .pending)
            #expect(record.nextAttemptAt == requeuedAt)
            let third = try #require(
                try await store.claimDueCommands(now: requeuedAt, leaseDuration: lease, limit: 1).first
            )
            #expect(third.record.received.request.idempotencyKey == "cmd_1")
            let replayed = CommandAttemptReport(
                startedAt: requeuedAt,
                duration: .milliseconds(80),
                status: 200,
                requestID: "req_3",
                idempotentReplayed: true,
                response: Data(#"{"id":"pi_1","status":"succeeded"}"#.utf8)
            )
            try await store.completeCommandAttempt(third, report: replayed, outcome: .delivered, stripeObject: nil)

            let detail = try #require(try await store.command(id))
            record = detail.record
            #expect(record.state == .delivered)
            #expect(record.attemptCount == 3)
            #expect(record.lastStatus == 200)
            #expect(record.lastError == nil)
            #expect(record.stripeObject == intent, "nil keeps the object recorded before")
            #expect(detail.attempts.map(\.number) == [1, 2, 3])
            var cut = busy
            cut.response = overlong.prefix(CommandAttemptReport.maximumResponseBytes)
            #expect(detail.attempts.map(\.report) == [cut, declined, replayed])
            #expect(detail.attempts[0].report.response?.count == CommandAttemptReport.maximumResponseBytes)
        }
    }

    /// Only a dead command is requeued: a pending, leased or delivered one is busy, an unknown id is not found.
    @Test(arguments: StoreBackend.all)
    func onlyADeadCommandIsRequeued(_ backend: StoreBackend) async throws {
        try await withCommandStore(backend) { store in
            let id = try #require(try await store.appendCommand(sampleCommand()).storedID)
            let pending = await #expect(throws: StoreError.self) { try await store.requeueCommand(id, now: t0) }
            #expect(pending?.code == .deliveryBusy)
            let leased = try #require(try await store.claimDueCommands(now: t0, leaseDuration: lease, limit: 1).first)
            let delivering = await #expect(throws: StoreError.self) {
                try await store.requeueCommand(id, now: t0.addingTimeInterval(60))
            }
            #expect(delivering?.code == .deliveryBusy)
            try await store.completeCommandAttempt(
                leased,
                report: CommandAttemptReport(startedAt: t0, duration: .milliseconds(5), status: 200),
                outcome: .delivered,
                stripeObject: StripeObjectReference(id: "pi_1", status: "succeeded")
            )
            let delivered = await #expect(throws: StoreError.self) { try await store.requeueCommand(id, now: t0) }
            #expect(delivered?.code == .deliveryBusy)
            let missing = await #expect(throws: StoreError.self) {
                try await store.requeueCommand(CommandID(id.rawValue + 1000), now: t0)
            }
            #expect(missing?.code == .deliveryNotFound)
            #expect(try await store.command(id)?.record.state == .delivered)
        }
    }

    /// Every filter of a query, alone, its count, and pages of a newest-first list followed with the cursor; the
    /// read-only reader sees the same.
    @Test(arguments: StoreBackend.all)
    func listsFilterAndPageNewestFirst(_ backend: StoreBackend) async throws {
        try await withCommandStoreAndReader(backend) { store, reader in
            // The first two in the same millisecond: ordered by id.
            let offsets: [TimeInterval] = [0, 0, 1, 2, 3, 4]
            var ids: [CommandID] = []
            for n in 0..<6 {
                let command = sampleCommand(
                    id: "cmd_\(n)",
                    kind: n.isMultiple(of: 2) ? "payment-requested" : "refund-requested",
                    subject: n < 2 ? "order_a" : nil,
                    receivedAt: t0.addingTimeInterval(offsets[n])
                )
                ids.append(try #require(try await store.appendCommand(command).storedID))
            }
            let leased = try await store.claimDueCommands(now: t0, leaseDuration: lease, limit: 1)
            #expect(leased.map(\.record.id) == [ids[0]])
            try await store.completeCommandAttempt(
                try #require(leased.first),
                report: CommandAttemptReport(startedAt: t0, duration: .milliseconds(5), status: 200),
                outcome: .delivered,
                stripeObject: StripeObjectReference(id: "pi_a", status: "succeeded")
            )
            let newestFirst = try await store.commands(matching: CommandQuery()).map(\.id)
            #expect(newestFirst == ids.reversed())

            for source in [store as any CommandReader, reader] {
                func listed(_ query: CommandQuery) async throws -> Set<CommandID> {
                    let records = try await source.commands(matching: query)
                    #expect(try await source.countCommands(matching: query) == records.count)
                    return Set(records.map(\.id))
                }
                #expect(try await listed(CommandQuery(state: .delivered)) == [ids[0]])
                #expect(try await listed(CommandQuery(state: .pending)) == Set(ids.dropFirst()))
                #expect(try await listed(CommandQuery(kind: "refund-requested")) == [ids[1], ids[3], ids[5]])
                #expect(try await listed(CommandQuery(commandID: "cmd_4")) == [ids[4]])
                #expect(try await listed(CommandQuery(subject: "order_a")) == [ids[0], ids[1]])
                #expect(try await listed(CommandQuery(stripeObjectID: "pi_a")) == [ids[0]])
                #expect(
                    try await listed(CommandQuery(receivedFrom: t0.addingTimeInterval(1))) == Set(ids.dropFirst(2))
                )
                #expect(try await listed(CommandQuery(receivedBefore: t0.addingTimeInterval(1))) == [ids[0], ids[1]])
                #expect(
                    try await listed(CommandQuery(kind: "payment-requested", receivedFrom: t0.addingTimeInterval(1)))
                        == [ids[2], ids[4]]
                )
                #expect(try await source.countCommands(matching: CommandQuery(limit: 1)) == 6, "the limit is ignored")

                var paged: [CommandID] = []
                var query = CommandQuery(limit: 2)
                while true {
                    let page = try await source.commands(matching: query)
                    paged += page.map(\.id)
                    guard page.count == 2, let last = page.last else { break }
                    query.before = CommandCursor(last)
                }
                #expect(paged == newestFirst)
            }
        }
    }

    /// The purge deletes finished commands (delivered, dead) received before the retention window, with their
    /// attempts; unfinished ones and those inside the window stay.
    @Test(arguments: StoreBackend.all)
    func purgeDeletesOnlyExpiredFinishedCommands(_ backend: StoreBackend) async throws {
        var options = StoreBackend.Options()
        options.retention = RetentionPolicy(window: .seconds(3 * 86_400), batchSize: 2, purgeInterval: nil)
        try await withCommandStore(backend, options: options) { store in
            var finished: [CommandID] = []
            for (n, outcome) in [AttemptOutcome.delivered, .dead, .delivered].enumerated() {
                let id = try #require(try await store.appendCommand(sampleCommand(id: "cmd_done_\(n)")).storedID)
                let leased = try #require(
                    try await store.claimDueCommands(now: t0, leaseDuration: lease, limit: 1).first
                )
                try await store.completeCommandAttempt(
                    leased,
                    report: CommandAttemptReport(startedAt: t0, duration: .milliseconds(5), status: 200),
                    outcome: outcome,
                    stripeObject: nil
                )
                finished.append(id)
            }
            let pending = try #require(try await store.appendCommand(sampleCommand(id: "cmd_pending")).storedID)
            let retrying = try #require(try await store.appendCommand(sampleCommand(id: "cmd_retrying")).storedID)
            let leased = try #require(try await store.claimDueCommands(now: t0, leaseDuration: lease, limit: 2))
            #expect(leased.map(\.record.id) == [pending, retrying])
            try await store.completeCommandAttempt(
                leased[1],
                report: CommandAttemptReport(startedAt: t0, duration: .milliseconds(5), status: 500),
                outcome: .retry(at: t0.addingTimeInterval(60)),
                stripeObject: nil
            )
            let recent = sampleCommand(id: "cmd_recent", receivedAt: t0.addingTimeInterval(4 * 86_400))
            let kept = try #require(try await store.appendCommand(recent).storedID)

            #expect(try await store.purgeExpired(now: t0.addingTimeInterval(3 * 86_400 - 1)) == 0)
            #expect(try await store.purgeExpired(now: t0.addingTimeInterval(4 * 86_400)) == 3)
            for id in finished { #expect(try await store.command(id) == nil) }
            let remaining = try await store.commands(matching: CommandQuery()).map(\.id)
            #expect(Set(remaining) == [pending, retrying, kept])
            #expect(try await store.command(retrying)?.attempts.count == 1)
            // The id of a purged command is free again.
            #expect(try await store.appendCommand(sampleCommand(id: "cmd_done_0")).storedID != nil)
        }
    }

    /// Appends and requeues of this process hint that commands may be due (a duplicate does not); the hints end
    /// when the store closes, and an append after the close is refused.
    @Test(arguments: StoreBackend.all)
    func appendsAndRequeuesHintAndAClosedStoreRefusesAppends(_ backend: StoreBackend) async throws {
        try await withCommandStore(backend) { store in
            var hints = store.commandsAvailable().makeAsyncIterator()
            let id = try #require(try await store.appendCommand(sampleCommand()).storedID)
            #expect(await hints.next() != nil)
            let leased = try #require(try await store.claimDueCommands(now: t0, leaseDuration: lease, limit: 1).first)
            try await store.completeCommandAttempt(
                leased,
                report: CommandAttemptReport(startedAt: t0, duration: .milliseconds(5), status: 400),
                outcome: .dead,
                stripeObject: nil
            )
            try await store.requeueCommand(id, now: t0)
            #expect(await hints.next() != nil)
            _ = try await store.appendCommand(sampleCommand())
            await store.close()
            #expect(await hints.next() == nil, "a duplicate makes nothing due")
            let refused = await #expect(throws: StoreError.self) {
                try await store.appendCommand(sampleCommand(id: "cmd_after_close"))
            }
            #expect(refused?.code == .storeUnavailable)
            var late = store.commandsAvailable().makeAsyncIterator()
            #expect(await late.next() == nil)
        }
    }
}

/// A command with defaults for everything the test does not care about; its request's key is its id.
func sampleCommand(
    id: String = "cmd_1",
    kind: String = "payment-requested",
    subject: String? = "order_1",
    receivedAt: Date = t0
) -> NewCommand {
    NewCommand(
        commandID: id,
        kind: kind,
        source: "payments-platform/orders",
        subject: subject,
        receivedAt: receivedAt,
        body: Data(#"{"specversion":"1.0","id":"\#(id)"}"#.utf8),
        request: StripeRequest(
            method: "POST",
            path: "/v1/payment_intents",
            form: Data("amount=1000&currency=usd&metadata[hookgate_command_id]=\(id)".utf8),
            idempotencyKey: id
        )
    )
}

extension CommandAppendResult {
    /// The id, for appends the test expects to be new.
    var storedID: CommandID? {
        if case .stored(let id) = self { id } else { nil }
    }
}

/// Opens a fresh, running `backend` store with `options`, runs `body` with it as a command store, closes it.
func withCommandStore<T>(
    _ backend: StoreBackend,
    options: StoreBackend.Options = StoreBackend.Options(),
    _ body: (any DeliveryStore & CommandStore) async throws -> T
) async throws -> T {
    try await withStore(backend, options: options, body)
}

/// Like ``withCommandStore(_:options:_:)``, with the backend's read-only reader of the same store beside it.
func withCommandStoreAndReader<T>(
    _ backend: StoreBackend,
    _ body: (any DeliveryStore & CommandStore, any DeliveryReader & CommandReader) async throws -> T
) async throws -> T {
    try await withStoreAndReader(backend, body)
}
