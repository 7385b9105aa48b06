// Durable append throughput and latency of SQLiteDeliveryStore (issue 3), plus the disk's fsync latency.
//
//   swift run -c release StoreAppendBenchmark [seconds per throughput run, default 3]
//
// On a machine shared with other work (builds), run it as `chrt -f 50 <binary>`: otherwise each
// fsync completion waits for the scheduler (median 4 ms instead of 0.13 ms seen here) and the
// figures measure the neighbours. The table's first line shows the fsync latency of the run.
//
// Every run uses a fresh database in a temporary directory on the same disk as /tmp, with the
// production settings (WAL, synchronous=FULL): an acknowledged append is fsynced. Each round also
// measures SQLite alone (CSQLiteCeiling) on the store's schema, the ceiling of any SQLite-backed store here.
import CSQLiteCeiling
import Foundation
import HookgateStore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

let secondsPerRun = Double(CommandLine.arguments.dropFirst().first ?? "") ?? 3
let callers = 64
/// Bytes per body; `BODY_SIZE=300` shows how much of the cost is per row rather than per byte.
let bodySize = Int(ProcessInfo.processInfo.environment["BODY_SIZE"] ?? "") ?? 2048

/// A 2 KB event-like body, built once: the gateway, too, appends bytes it already holds.
let body: Data = {
    let head = Data(#"{"id":"evt_bench","object":"event","type":"payment_intent.succeeded","data":{"filler":""#.utf8)
    let tail = Data("\"}}\n".utf8)
    return head + Data(repeating: UInt8(ascii: "x"), count: bodySize - head.count - tail.count) + tail
}()

/// Stripe ids begin with the creation second in base 62 (`evt_1BoJ2I…` decodes to February 2018, `evt_1NG8Du…`
/// to mid-2023), followed by random characters: ids of one second land at random places in that second's
/// slice of the dedup index. Modelled as `evt_1` + the current second + a random 64-bit number.
/// `EVENT_IDS=scattered` uses `evt_<run>_<caller>_<n>` instead: 64 insertion points spread over the index.
let scatteredEventIDs = ProcessInfo.processInfo.environment["EVENT_IDS"] == "scattered"

func eventID(run: String, caller: Int, n: Int) -> String {
    if scatteredEventIDs { return "evt_\(run)_\(caller)_\(n)" }
    let second = String(Int(Date().timeIntervalSince1970), radix: 36)
    return "evt_1" + second + String(UInt64.random(in: 0...UInt64.max), radix: 36)
}

func delivery(_ eventID: String) -> NewDelivery {
    NewDelivery(
        endpoint: "stripe",
        eventID: eventID,
        eventType: "payment_intent.succeeded",
        eventCreated: Date(),
        receivedAt: Date(),
        body: body,
        headers: DeliveryHeaders(
            signature: "t=1764000000,v1=" + String(repeating: "a", count: 64),
            contentType: "application/json"
        )
    )
}

/// Holds every run's database until the end: deleting a large file on this disk (mounted with
/// `discard`) slows the fsyncs of whatever runs next.
let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: false)

/// Runs `body` with a store on a fresh file.
func withFreshStore<T>(maxBatchSize: Int, _ body: (SQLiteDeliveryStore) async throws -> T) async throws -> T {
    let path = workDirectory.appendingPathComponent("bench-\(UUID().uuidString).sqlite").path
    let store = try SQLiteDeliveryStore(
        configuration: .init(path: path, maxBatchSize: maxBatchSize, queueCapacity: 4096)
    )
    return try await withThrowingTaskGroup(of: Void.self) { running in
        running.addTask { try await store.run() }
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

struct Summary {
    var appends: Int
    var seconds: Double
    var latencies: [Duration]
    var failures: Int
    /// Process CPU time (user + system, all threads) per append, over the whole run including warm-up.
    var cpuMicrosecondsPerAppend: Double = .nan

    var rate: Double { Double(appends) / seconds }

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return .nan }
        let sorted = latencies.sorted()
        let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
        return milliseconds(sorted[max(0, index)])
    }
}

/// User plus system CPU time this process used so far, all threads, in microseconds.
func processCPUMicroseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec)
    return user + Double(usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_stime.tv_usec)
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// `callers` tasks append back to back for `seconds`.
func closedLoop(maxBatchSize: Int, seconds: Double, label: String) async throws -> Summary {
    try await withFreshStore(maxBatchSize: maxBatchSize) { store in
        let cpuAtStart = processCPUMicroseconds()
        let clock = ContinuousClock()
        let warmUpEnd = clock.now + .milliseconds(300)
        let start = warmUpEnd
        let end = start + .milliseconds(Int(seconds * 1000))
        let perCaller = try await withThrowingTaskGroup(of: (Int, [Duration], Int, Int).self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var count = 0
                    var failures = 0
                    var latencies: [Duration] = []
                    var n = 0
                    while true {
                        let began = clock.now
                        if began >= end { break }
                        n += 1
                        do {
                            _ = try await store.append(delivery(eventID(run: label, caller: caller, n: n)))
                            if began >= start {
                                count += 1
                                latencies.append(clock.now - began)
                            }
                        } catch {
                            failures += 1
                        }
                    }
                    return (count, latencies, failures, n)
                }
            }
            return try await group.reduce(into: [(Int, [Duration], Int, Int)]()) { $0.append($1) }
        }
        let cpu = processCPUMicroseconds() - cpuAtStart
        let attempted = perCaller.map(\.3).reduce(0, +)
        return Summary(
            appends: perCaller.map(\.0).reduce(0, +),
            seconds: seconds,
            latencies: perCaller.flatMap(\.1),
            failures: perCaller.map(\.2).reduce(0, +),
            cpuMicrosecondsPerAppend: cpu / Double(attempted)
        )
    }
}

/// SQLite alone (``CSQLiteCeiling``): one C thread inserting `batch` rows per transaction, on a fresh file whose
/// schema the store's migrations made (`bodiesOnly`: a table of bodies and nothing else instead). Returns rows per
/// second and the process's CPU microseconds per row.
func sqliteAlone(
    synchronous: String,
    bodiesOnly: Bool = false,
    batch: Int = callers,
    seconds: Double
) async throws -> (rate: Double, cpuMicrosecondsPerRow: Double) {
    let path = workDirectory.appendingPathComponent("ceiling-\(UUID().uuidString).sqlite").path
    var cpu = Double.nan
    if bodiesOnly {
        let rate = CSQLiteCeiling_body_rows_per_second(path, synchronous, Int32(batch), Int32(bodySize), seconds, &cpu)
        return (rate, cpu)
    }
    try await SQLiteDeliveryStore(configuration: .init(path: path)).close()
    let rate = CSQLiteCeiling_delivery_rows_per_second(path, synchronous, Int32(batch), Int32(bodySize), seconds, &cpu)
    return (rate, cpu)
}

/// Appends offered at a fixed rate (open loop); latency counts from the scheduled start,
/// so a stalled store shows up as latency (no coordinated omission).
func openLoop(ratePerSecond: Int, seconds: Double) async throws -> Summary {
    try await withFreshStore(maxBatchSize: 256) { store in
        let clock = ContinuousClock()
        let total = Int(Double(ratePerSecond) * seconds)
        let interval = Duration.seconds(1) / ratePerSecond
        let start = clock.now + .milliseconds(100)
        let results = try await withThrowingTaskGroup(of: Duration?.self) { group in
            var next = 0
            while next < total {
                try await clock.sleep(until: start + interval * next, tolerance: .microseconds(50))
                let now = clock.now
                while next < total, start + interval * next <= now {
                    let scheduled = start + interval * next
                    let eventID = eventID(run: "paced", caller: 0, n: next)
                    group.addTask {
                        do {
                            _ = try await store.append(delivery(eventID))
                            return clock.now - scheduled
                        } catch {
                            return nil
                        }
                    }
                    next += 1
                }
            }
            return try await group.reduce(into: [Duration?]()) { $0.append($1) }
        }
        let latencies = results.compactMap { $0 }
        return Summary(
            appends: latencies.count,
            seconds: seconds,
            latencies: latencies,
            failures: results.count - latencies.count
        )
    }
}

/// Median and p99 of `append 256 B + fsync` on the benchmark's disk (as bench/physical/fsync_latency.py).
func fsyncLatency(iterations: Int = 1000) throws -> (median: Double, p99: Double) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-fsync-\(UUID().uuidString)").path
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    precondition(fd >= 0, "cannot create \(path)")
    defer {
        close(fd)
        unlink(path)
    }
    let block = [UInt8](repeating: 0x61, count: 256)
    let clock = ContinuousClock()
    var samples: [Duration] = []
    for _ in 0..<iterations {
        let began = clock.now
        _ = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        samples.append(clock.now - began)
    }
    samples.sort()
    return (milliseconds(samples[samples.count / 2]), milliseconds(samples[Int(Double(samples.count) * 0.99)]))
}

/// Flushes what the previous runs left in the page cache, so that its writeback does not stall the next
/// run's fsyncs (a run writes up to a few hundred MB; the 5,000/s run saw p99 of 140 ms without this).
func settle() {
    sync()
    Thread.sleep(forTimeInterval: 0.2)
}

func row(_ columns: [String]) -> String {
    zip(columns, [34, 12, 10, 10, 10, 9, 12]).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(
        separator: " "
    )
}

let disk = try fsyncLatency()
print(
    "disk: append 256 B + fsync, 1000 times: median \(String(format: "%.3f", disk.median)) ms, p99 \(String(format: "%.3f", disk.p99)) ms"
)
print("2 KB appends, \(callers) concurrent callers, \(secondsPerRun) s per run, WAL + synchronous=FULL\n")
print(row(["mode", "appends/s", "p50 ms", "p99 ms", "p99.9 ms", "failures", "CPU us/append"]))

var group: [Double] = []
var single: [Double] = []
var alone: [Double] = []
/// `GROUP_ONLY=1` runs only the group-commit throughput runs (for profiling), `PACED_ONLY=1` only the 5,000/s run.
let groupOnly = ProcessInfo.processInfo.environment["GROUP_ONLY"] == "1"
let pacedOnly = ProcessInfo.processInfo.environment["PACED_ONLY"] == "1"
for round in 1...2 where !pacedOnly {
    for (label, batch) in [("group commit (batch <= 256)", 256), ("one transaction per append", 1)]
    where batch > 1 || !groupOnly {
        settle()
        let summary = try await closedLoop(maxBatchSize: batch, seconds: secondsPerRun, label: "\(round)_\(batch)")
        if batch == 1 { single.append(summary.rate) } else { group.append(summary.rate) }
        print(
            row([
                "\(label) #\(round)", String(format: "%.0f", summary.rate),
                String(format: "%.2f", summary.percentile(0.5)),
                String(format: "%.2f", summary.percentile(0.99)), String(format: "%.2f", summary.percentile(0.999)),
                "\(summary.failures)", String(format: "%.1f", summary.cpuMicrosecondsPerAppend),
            ])
        )
    }
    if groupOnly { continue }
    // The same rows written by SQLite alone from C, 64 per transaction as the store's batches here: what no
    // store on SQLite can exceed on this machine. Then without fsyncs, with 1,024 rows per transaction (what
    // a far larger batch could give), and a table holding nothing but the bodies.
    for (label, synchronous, batch, bodiesOnly) in [
        ("SQLite alone, 64/txn, FULL", "FULL", callers, false),
        ("SQLite alone, 64/txn, OFF (unsafe)", "OFF", callers, false),
        ("SQLite alone, 1024/txn, FULL", "FULL", 1024, false),
        ("bodies only, 64/txn, FULL", "FULL", callers, true),
    ] {
        settle()
        let (rate, cpu) = try await sqliteAlone(
            synchronous: synchronous,
            bodiesOnly: bodiesOnly,
            batch: batch,
            seconds: secondsPerRun
        )
        if synchronous == "FULL" && batch == callers && !bodiesOnly { alone.append(rate) }
        print(row(["\(label) #\(round)", String(format: "%.0f", rate), "", "", "", "", String(format: "%.1f", cpu)]))
    }
}
if groupOnly {
    try FileManager.default.removeItem(at: workDirectory)
    exit(0)
}
settle()
let paced = try await openLoop(ratePerSecond: 5000, seconds: 5)
print(
    row([
        "offered 5,000/s (group commit)", String(format: "%.0f", paced.rate),
        String(format: "%.2f", paced.percentile(0.5)),
        String(format: "%.2f", paced.percentile(0.99)), String(format: "%.2f", paced.percentile(0.999)),
        "\(paced.failures)",
    ])
)
if pacedOnly {
    try FileManager.default.removeItem(at: workDirectory)
    exit(0)
}
let ratio = group.reduce(0, +) / single.reduce(0, +)
print("\ngroup commit / one per append: \(String(format: "%.1f", ratio))x (mean of \(group.count) runs each)")
let share = group.reduce(0, +) / alone.reduce(0, +)
print(
    "group commit / SQLite alone (FULL, \(callers) rows per transaction): \(String(format: "%.0f", share * 100))%"
)
try FileManager.default.removeItem(at: workDirectory)
