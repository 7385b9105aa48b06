import Foundation
import HookgateStore
import HookgateTestSupport

/// A stopped gateway's store filled in process with many pending deliveries of endpoint `stripe`, for
/// `hookgate replay` at volume.
struct ReplayBacklog {
    let directory: TemporaryDirectory
    /// `<directory>/hookgate.sqlite`.
    let storePath: String

    /// Appends `count` deliveries, 500 at a time so the store commits them in groups, all received now by the
    /// wall clock (read once), the clock the `replay` binary reads.
    init(count: Int) async throws {
        let now = Date()
        self.directory = try TemporaryDirectory()
        self.storePath = self.directory.url.appendingPathComponent("hookgate.sqlite").path
        let store = try SQLiteDeliveryStore.running(configuration: .init(path: self.storePath))
        do {
            for start in stride(from: 0, to: count, by: 500) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for n in start..<min(count, start + 500) {
                        group.addTask { _ = try await store.append(Self.delivery(n, receivedAt: now)) }
                    }
                    try await group.waitForAll()
                }
            }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// Runs `hookgate replay <arguments> --store <store>`.
    func replay(_ arguments: [String], environment: [String: String] = [:]) throws -> HookgateProcess.Result {
        try HookgateProcess.run(["replay"] + arguments + ["--store", self.storePath], environment: environment)
    }

    private static func delivery(_ n: Int, receivedAt: Date) -> NewDelivery {
        let eventID = "evt_backlog\(String(n, radix: 10).leftPadded(to: 12))"
        let created = Int64(receivedAt.timeIntervalSince1970) - 2
        return NewDelivery(
            endpoint: "stripe",
            eventID: eventID,
            eventType: "payment_intent.succeeded",
            eventCreated: Date(timeIntervalSince1970: TimeInterval(created)),
            receivedAt: receivedAt,
            body: Data(
                #"{"id":"\#(eventID)","object":"event","type":"payment_intent.succeeded","created":\#(created)}"#.utf8
            ),
            headers: DeliveryHeaders(
                signature: "t=1,v1=00",
                contentType: "application/json",
                userAgent: nil,
                requestID: nil
            ),
            peerAddress: "203.0.113.7:443",
            keyLabel: "current",
            isRouted: true
        )
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
