import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore
import Logging

/// Lists events from Stripe's Events API for each target and appends those the store lacks as
/// ``DeliveryOrigin/reconciled`` deliveries, so the worker forwards them once; a webhook of the same event arriving
/// later is a duplicate (the (endpoint, event id) key). Bounded by ``maximumPages`` requests per run.
///
/// The key lists one account's events, and nothing says which endpoint receives them when several do: an event
/// any Stripe endpoint stored is one the gateway has, and a missing one is added once, to the first target that
/// lists it (a Connect endpoint, or a second endpoint of the same account, would otherwise get it again).
struct Reconciler: Sendable {
    /// Stripe's limit of `types[]` values in one request.
    static let maximumTypesPerRequest = 20
    /// How far back a run lists by default: 3 days, as long as Stripe retries a webhook.
    static let defaultWindow: TimeInterval = 3 * 86_400
    /// The default bound of one run: 100 pages of 100 events.
    static let defaultMaximumPages = 100

    /// Stripe's API, with the key.
    var client: StripeAPIClient
    /// Where the stored event ids are looked up.
    var reader: any DeliveryReader
    /// Where missing events are appended; `nil` lists them and changes nothing (`--dry-run`).
    var store: (any DeliveryStore)?
    /// The endpoints and their Stripe types.
    var targets: [ReconcileTarget]
    /// Every Stripe endpoint the events could have been stored under (the targets, and with `--endpoint` the
    /// others too).
    var endpointsLookedUp: [String]
    /// The oldest `created` listed (`created[gte]`).
    var since: Date
    /// The newest `created` listed (`created[lte]`), when bounded: `serve` leaves recent events to their webhooks.
    var until: Date?
    /// Lists only events Stripe has not delivered (`delivery_success=false`).
    var undeliveredOnly = false
    /// The most pages requested in one run.
    var maximumPages = Reconciler.defaultMaximumPages

    /// Reconciles every target, in order.
    /// - Parameters:
    ///   - now: The received time of the deliveries added.
    ///   - report: Called with each event added (or, with `--dry-run`, that would be).
    /// - Returns: The counts; ``ReconcileSummary/incomplete`` says what was left when the page bound stopped it.
    /// - Throws: ``ReconcileFailure`` when the API or the store fails; what was appended before stays.
    func run(
        now: Date,
        logger: Logger,
        report: (String, ReconcileSummary.Added) -> Void = { _, _ in }
    ) async throws(ReconcileFailure) -> ReconcileSummary {
        var summary = ReconcileSummary(dryRun: self.store == nil)
        var pagesLeft = self.maximumPages
        // Added for an earlier target in this run: not again for another.
        var addedThisRun: Set<String> = []
        for (index, target) in self.targets.enumerated() {
            var counts = ReconcileSummary.Endpoint(endpoint: target.endpoint)
            if try await self.receivesThinEvents(target) {
                logger.notice(
                    "endpoint not reconciled: it receives thin events, which the Events API lists under other ids",
                    metadata: ["hookgate.endpoint": "\(target.endpoint)"]
                )
                counts.receivesThinEvents = true
                summary.endpoints.append(counts)
                continue
            }
            for start in stride(from: 0, to: target.stripeTypes.count, by: Self.maximumTypesPerRequest) {
                let types = Array(
                    target.stripeTypes[start..<min(start + Self.maximumTypesPerRequest, target.stripeTypes.count)]
                )
                var after: String?
                while true {
                    guard pagesLeft > 0 else {
                        summary.endpoints.append(counts)
                        summary.incomplete = Self.stopped(at: self.maximumPages, targets: self.targets[index...])
                        return summary
                    }
                    pagesLeft -= 1
                    let page = try await self.page(types: types, after: after, logger: logger)
                    try await self.reconcile(
                        page.events,
                        of: target,
                        into: &counts,
                        addedThisRun: &addedThisRun,
                        now: now,
                        logger: logger
                    ) { report(target.endpoint, $0) }
                    guard page.hasMore, let last = page.events.last else { break }
                    after = last.id
                }
            }
            summary.endpoints.append(counts)
        }
        return summary
    }

    /// Whether `target` received thin events of its types since the window's start. A thin event (`v1.` and
    /// the type) is an event of its own, with an id of its own: the Events API lists the same occurrence under
    /// the snapshot event's id, which the endpoint never got, so every listed event would look missing and be
    /// forwarded a second time (a `payment-failed`'s fact is its event id). Such an endpoint is not reconciled.
    private func receivesThinEvents(_ target: ReconcileTarget) async throws(ReconcileFailure) -> Bool {
        for type in target.stripeTypes {
            let query = DeliveryQuery(
                endpoint: target.endpoint,
                eventType: "v1." + type,
                receivedFrom: self.since,
                limit: 1
            )
            do {
                if try await !self.reader.deliveries(matching: query).isEmpty { return true }
            } catch {
                throw .store(error)
            }
        }
        return false
    }

    /// One page of events of `types`, after the event `after`.
    private func page(types: [String], after: String?, logger: Logger) async throws(ReconcileFailure) -> StripeEventPage
    {
        var query: [(name: String, value: String)] = [
            ("limit", String(EventIDLookup.maximumCount)),
            ("created[gte]", String(Int64(self.since.timeIntervalSince1970))),
        ]
        if let until { query.append(("created[lte]", String(Int64(until.timeIntervalSince1970)))) }
        if self.undeliveredOnly { query.append(("delivery_success", "false")) }
        if let after { query.append(("starting_after", after)) }
        query += types.map { ("types[]", $0) }
        do {
            return try StripeEventPage(try await self.client.get("/v1/events", query: query, logger: logger))
        } catch let error as StripeAPIRequestError {
            throw .api(error)
        } catch let error as ReconcileFailure {
            throw error
        } catch {
            throw .invalidAnswer("\(error)")
        }
    }

    /// Counts `events`, looks up which the store has under any Stripe endpoint (one query each), and appends the
    /// others that no earlier target of this run added.
    private func reconcile(
        _ events: [ListedEvent],
        of target: ReconcileTarget,
        into counts: inout ReconcileSummary.Endpoint,
        addedThisRun: inout Set<String>,
        now: Date,
        logger: Logger,
        report: (ReconcileSummary.Added) -> Void
    ) async throws(ReconcileFailure) {
        var stored = addedThisRun
        for endpoint in Set(self.endpointsLookedUp + [target.endpoint]) {
            do {
                stored.formUnion(try await self.reader.storedEventIDs(events.map(\.id), endpoint: endpoint))
            } catch {
                throw .store(error)
            }
        }
        for event in events {
            counts.listed += 1
            guard !stored.contains(event.id) else {
                counts.alreadyHad += 1
                continue
            }
            guard event.livemode.map(target.expectedMode.accepts(livemode:)) ?? (target.expectedMode == .any) else {
                counts.otherMode += 1
                continue
            }
            let added = ReconcileSummary.Added(id: event.id, type: event.type, created: event.created)
            if let store {
                let body = try await self.body(of: event, logger: logger)
                let result: AppendResult
                do {
                    result = try await store.append(
                        Self.delivery(event, body: body, endpoint: target.endpoint, now: now)
                    )
                } catch {
                    throw .store(error)
                }
                guard case .stored(let id) = result else {
                    counts.alreadyHad += 1
                    continue
                }
                logger.debug(
                    "reconciled event stored",
                    metadata: ["hookgate.endpoint": "\(target.endpoint)", "hookgate.delivery.id": "\(id)"]
                )
            }
            counts.added.append(added)
            addedThisRun.insert(event.id)
            report(added)
        }
    }

    /// The event as Stripe sends it on its own (`GET /v1/events/{id}`), byte for byte; it must be the listed
    /// event (same id and type).
    private func body(of event: ListedEvent, logger: Logger) async throws(ReconcileFailure) -> [UInt8] {
        let body: [UInt8]
        do {
            body = try await self.client.getRaw("/v1/events/\(event.id)", logger: logger)
        } catch {
            throw .api(error)
        }
        guard let fetched = (try? JSONValueParser.parse(body)).flatMap(ListedEvent.init),
            fetched.id == event.id, fetched.type == event.type
        else { throw .invalidAnswer("GET /v1/events/\(event.id) answered another event, or none") }
        return body
    }

    /// The delivery of a listed event: Stripe's bytes of it as the body, no signature, received `now`.
    private static func delivery(_ event: ListedEvent, body: [UInt8], endpoint: String, now: Date) -> NewDelivery {
        NewDelivery(
            endpoint: endpoint,
            eventID: event.id,
            eventType: event.type,
            eventCreated: event.created,
            receivedAt: now,
            body: Data(body),
            headers: DeliveryHeaders(contentType: "application/json"),
            origin: .reconciled
        )
    }

    /// What a run stopped by its page bound left unchecked.
    private static func stopped(at pages: Int, targets: ArraySlice<ReconcileTarget>) -> String {
        "stopped at the bound of \(pages) requests to the Events API: older events of "
            + targets.map(\.endpoint).joined(separator: ", ")
            + " were not checked; run again with a later --since, or a larger --max-pages"
    }
}
