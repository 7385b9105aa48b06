// Fills a fresh delivery store with N pending payment_intent.succeeded deliveries (distinct events and
// payments), as if the gateway had received them while its worker was stopped. `delivery-vs-front-door.sh`
// then starts `hookgate serve` on it and times the drain: the delivery worker's maximum sustained rate.
//
//   DeliveryBacklogFill <database path> <count> <fixture: payment_intent.succeeded.json>
import Foundation
import HookgateStore

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: DeliveryBacklogFill <database> <count> <fixture>\n".utf8))
    exit(2)
}
let template = try String(contentsOfFile: arguments[3], encoding: .utf8)
let store = try SQLiteDeliveryStore(configuration: .init(path: arguments[1]))
let now = Date()
try await withThrowingTaskGroup(of: Void.self) { running in
    running.addTask { try await store.run() }
    try await fill()
    await store.close()
}
print("stored \(count) pending deliveries in \(arguments[1])")

/// Appends the deliveries from 64 concurrent callers.
func fill() async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for caller in 0..<64 {
            group.addTask {
                for n in stride(from: caller, to: count, by: 64) {
                    let body = template.replacingOccurrences(
                        of: "evt_WRAPPED0000000000000001",
                        with: "evt_backlog_\(n)"
                    )
                    .replacingOccurrences(of: "pi_Aabcxyz01aDfoo", with: "pi_backlog_\(n)")
                    let delivery = NewDelivery(
                        endpoint: "stripe",
                        eventID: "evt_backlog_\(n)",
                        eventType: "payment_intent.succeeded",
                        eventCreated: now,
                        receivedAt: now,
                        body: Data(body.utf8),
                        headers: DeliveryHeaders(contentType: "application/json")
                    )
                    _ = try await store.append(delivery)
                }
            }
        }
        try await group.waitForAll()
    }
}
