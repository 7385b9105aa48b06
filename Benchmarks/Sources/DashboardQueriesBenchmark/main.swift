// Times the reads behind the dashboard's pages on a big store (issue 16): the list's first page, filtered pages,
// a deep page by cursor, counts, the overview (counts by state and per-minute activity with the latency) and the
// key labels of recent deliveries. `dashboard-queries.sh` fills the store with 1,000,000 deliveries first.
//
//   DashboardQueriesBenchmark migrate sqlite <path> | postgres <url>   creates (migrates) an empty store
//   DashboardQueriesBenchmark time sqlite <path> | postgres <url> [rounds]   times each read, `rounds` times
//
// Each read runs once to warm the cache, then `rounds` times (default 20); the median and the slowest are printed
// in milliseconds, with what the read returned, through the store as `serve` uses it.
import Foundation
import HookgateStore

let arguments = CommandLine.arguments
guard arguments.count >= 4, ["migrate", "time"].contains(arguments[1]),
    let backend = DeliveryStoreConfiguration.Backend(rawValue: arguments[2])
else {
    FileHandle.standardError.write(
        Data("usage: DashboardQueriesBenchmark migrate|time sqlite <path> | postgres <url> [rounds]\n".utf8)
    )
    exit(2)
}
let rounds = arguments.count > 4 ? Int(arguments[4]) ?? 20 : 20
let store = try DeliveryStores.open(
    DeliveryStoreConfiguration(
        backend: backend,
        location: arguments[3],
        retention: RetentionPolicy(purgeInterval: nil)
    )
)
try await withThrowingTaskGroup(of: Void.self) { running in
    running.addTask { try await store.run() }
    if arguments[1] == "time" { try await timeReads() }
    await store.close()
}

/// Times `read` (once to warm up, then `rounds` times) and prints the median, the slowest and a summary of its
/// result.
func time<T>(_ name: String, _ read: () async throws -> T, _ summary: (T) -> String) async throws {
    let clock = ContinuousClock()
    var result = try await read()
    var durations: [Duration] = []
    for _ in 0..<rounds {
        let start = clock.now
        result = try await read()
        durations.append(clock.now - start)
    }
    durations.sort()
    func ms(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%8.2f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
    let name = name.padding(toLength: 44, withPad: " ", startingAt: 0)
    print("\(name) median \(ms(durations[durations.count / 2])) ms  max \(ms(durations.last!)) ms  \(summary(result))")
}

/// Every read the dashboard's pages make.
func timeReads() async throws {
    let now = Date()
    let total = try await store.count(matching: DeliveryQuery())
    print("\(arguments[2]): \(total) deliveries, \(rounds) rounds each")
    // A delivery about nine tenths down the newest-first list (by time): the key a deep page starts before.
    let oldest = try await store.deliveries(matching: DeliveryQuery(), after: nil, pageSize: 1).first
    let newest = try await store.deliveries(matching: DeliveryQuery(limit: 1)).first
    let span = try newest.orThrow("no deliveries").received.receivedAt.timeIntervalSince(
        try oldest.orThrow("no deliveries").received.receivedAt
    )
    let deepTime = try oldest.orThrow("no deliveries").received.receivedAt.addingTimeInterval(span / 10)
    let deepRecord = try await store.deliveries(matching: DeliveryQuery(receivedBefore: deepTime, limit: 1)).first
    let deep = DeliveryCursor(try deepRecord.orThrow("no deep delivery"))
    let ids = { (records: [DeliveryRecord]) in "\(records.count) deliveries" }
    try await time("list: first page (51)", { try await store.deliveries(matching: DeliveryQuery(limit: 51)) }, ids)
    try await time(
        "list: state=dead (51)",
        { try await store.deliveries(matching: DeliveryQuery(state: .dead, limit: 51)) },
        ids
    )
    try await time(
        "list: endpoint=connect&type=charge.refunded",
        {
            try await store.deliveries(
                matching: DeliveryQuery(endpoint: "connect", eventType: "charge.refunded", limit: 51)
            )
        },
        ids
    )
    try await time(
        "list: subject=pi_4242",
        { try await store.deliveries(matching: DeliveryQuery(limit: 51, subject: "pi_4242")) },
        ids
    )
    try await time(
        "list: deep page before a cursor (51)",
        { try await store.deliveries(matching: DeliveryQuery(limit: 51, before: deep)) },
        ids
    )
    try await time(
        "list: state=dead, deep page before a cursor",
        { try await store.deliveries(matching: DeliveryQuery(state: .dead, limit: 51, before: deep)) },
        ids
    )
    let count = { (count: Int) in "\(count)" }
    try await time("count: all", { try await store.count(matching: DeliveryQuery()) }, count)
    try await time("count: state=dead", { try await store.count(matching: DeliveryQuery(state: .dead)) }, count)
    try await time(
        "count: endpoint=stripe (80 %)",
        { try await store.count(matching: DeliveryQuery(endpoint: "stripe")) },
        count
    )
    try await time(
        "count: since 1 hour ago",
        { try await store.count(matching: DeliveryQuery(receivedFrom: now.addingTimeInterval(-3600))) },
        count
    )
    let states = { (counts: [DeliveryState: Int]) in
        counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
            .joined(separator: ", ")
    }
    try await time("overview: count by state", { try await store.countByState() }, states)
    let activitySummary = { (activity: DeliveryActivity) in
        let latency = activity.latency.map { "p50 \($0.p50) p99 \($0.p99) over \($0.sampleCount)" } ?? "no latency"
        return "received \(activity.receivedPerMinute.reduce(0, +)), delivered "
            + "\(activity.deliveredPerMinute.reduce(0, +)), \(latency)"
    }
    try await time(
        "overview: activity, 60 minutes",
        { try await store.activity(minutes: 60, endingAt: now) },
        activitySummary
    )
    try await time(
        "overview: both (as GET /overview)",
        {
            (try await store.countByState(), try await store.activity(minutes: 60, endingAt: now))
        },
        { activitySummary($0.1) }
    )
    try await time(
        "endpoints: key labels of the latest 10,000",
        { try await store.keyLabelUsage(since: now.addingTimeInterval(-24 * 3600), limit: 10_000) },
        { usage in usage.map { "\($0.endpoint)/\($0.keyLabel ?? "-") \($0.count)" }.joined(separator: ", ") }
    )
}

extension Optional {
    /// The value, or an error saying `message`.
    func orThrow(_ message: String) throws -> Wrapped {
        guard let value = self else { throw BenchmarkError(message: message) }
        return value
    }
}

/// Why the benchmark stopped.
struct BenchmarkError: Error {
    var message: String
}
