public import Foundation

/// Every read of stored deliveries: what the CLI, the admin API and a dashboard show.
///
/// Each call reads one consistent snapshot. No read relies on ids being committed in order (replicas
/// sharing one database commit them out of order): lists, pages and event lookups are ordered by the
/// received time with the id as a tiebreak (``DeliveryCursor``). All errors thrown are ``StoreError``.
public protocol DeliveryReader: Sendable {
    /// Lists deliveries matching the query, newest first (latest received, then the larger id), up to its limit.
    func deliveries(matching query: DeliveryQuery) async throws(StoreError) -> [DeliveryRecord]

    /// Up to `pageSize` deliveries matching the query's filters whose key (``DeliveryCursor``) comes after
    /// `cursor`, oldest first; the query's limit is ignored.
    ///
    /// Start with nil and pass ``DeliveryCursor/init(_:)`` of each page's last record until a page has fewer
    /// than `pageSize` deliveries. That iteration returns every delivery committed before it started (and
    /// matching the filters throughout) exactly once, in key order, whatever order the ids were committed in;
    /// a delivery purged meanwhile is missing. One committed during the iteration appears at most once: only
    /// if its key comes after the cursor of a later page.
    func deliveries(
        matching query: DeliveryQuery,
        after cursor: DeliveryCursor?,
        pageSize: Int
    ) async throws(StoreError) -> [DeliveryRecord]

    /// One delivery with its attempts, or nil.
    func delivery(_ id: DeliveryID) async throws(StoreError) -> DeliveryDetail?

    /// One delivery with its attempts and prepared messages, or nil.
    func inspection(of id: DeliveryID) async throws(StoreError) -> DeliveryInspection?

    /// Every delivery of a provider event id (one per endpoint that received it), oldest first (received time,
    /// then id); only the endpoint's when `endpoint` is given.
    func inspections(eventID: String, endpoint: String?) async throws(StoreError) -> [DeliveryInspection]

    /// Which of `eventIDs` (at most ``EventIDLookup/maximumCount``) the store has a delivery of at
    /// `endpoint`: the dedup key, so a returned id would be a duplicate if appended there.
    /// - Throws: ``StoreError/Code/invalidConfiguration`` when given more ids than the limit.
    func storedEventIDs(_ eventIDs: [String], endpoint: String) async throws(StoreError) -> Set<String>

    /// Counts the deliveries matching the query's filters (its limit is ignored) by state, event type and
    /// catalog type.
    func statistics(matching query: DeliveryQuery) async throws(StoreError) -> DeliveryStatistics

    /// Counts deliveries in each state; states without deliveries count 0.
    func countByState() async throws(StoreError) -> [DeliveryState: Int]

    /// Counts the deliveries matching the query's filters (its limit is ignored), with an index for each filter.
    func count(matching query: DeliveryQuery) async throws(StoreError) -> Int

    /// Deliveries received and delivered in each of the `minutes` whole minutes (1 through
    /// ``DeliveryActivity/maximumMinutes``) whose last holds `now`, and the received → delivered latency of
    /// those delivered in that window. A delivery counts as delivered at the time its last attempt was
    /// recorded (its update time while it is delivered); a purged one no longer counts.
    func activity(minutes: Int, endingAt now: Date) async throws(StoreError) -> DeliveryActivity

    /// Which key labels verified the latest `limit` deliveries received at or after `since`, counted by endpoint
    /// and label, ordered by endpoint, then the larger count, then label (bytewise; deliveries without a label
    /// last).
    func keyLabelUsage(since: Date, limit: Int) async throws(StoreError) -> [KeyLabelUsage]

    /// Whether a read succeeds right now: the store is reachable and answers.
    func isReadable() async -> Bool

    /// Whether a write transaction can commit right now: the admin listener's readiness probe (`/readyz`).
    /// A full disk, a read-only file system or a lost database shows up as `false`, as it would fail an
    /// append. A read-only reader answers `false` without trying.
    func isWritable() async -> Bool
}
