import Foundation
import HookgateCore
import HookgateTestSupport
import Testing

/// Commands to Stripe through three real `hookgate serve` replicas on one PostgreSQL database, each with its own
/// commands socket, and one `hookgate emulate` as Stripe's API.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(3)))
struct ReplicaCommandTests {
    /// Thirty payments: twenty sent round-robin to the replicas' sockets, ten each sent to all three at once.
    /// Each is stored once (the other two answer `"duplicate":true`), sent to Stripe's API once by whichever
    /// replica claimed it, and charged once.
    @Test func commandsSentToEveryReplicaAreChargedOnce() async throws {
        let apiPort = try LoopbackPort.free()
        let scenario = try ReplicaScenario(environment: [
            "STRIPE_API_KEY": EmulatorProcess.apiKey, "HOOKGATE_STRIPE_API_BASE": "http://127.0.0.1:\(apiPort)",
        ])
        let emulator = try EmulatorProcess(
            directory: scenario.directory.url,
            arguments: ["--listen", "127.0.0.1:\(apiPort)"],
            environment: [:]
        )
        func command(_ index: Int, to replica: Int) -> [String] {
            [
                "send-command", "payment-requested", "--order", "ord_replica\(index)", "--amount", "\(1000 + index)",
                "--currency", "usd", "--payment-method", "pm_card_visa", "--id", "cmd-replica-\(index)",
                "--socket", scenario.commandsSocket(of: replica), "--json",
            ]
        }
        for index in 0..<20 {
            let sent = try HookgateProcess.run(command(index, to: index % 3))
            #expect(sent.status == 0 && sent.stdout.contains(#""duplicate":false"#), "\(sent.output)")
        }
        for index in 20..<30 {
            let three = try (0..<3).map { replica in
                try ChildProcess(
                    executable: HookgateProcess.executable,
                    arguments: command(index, to: replica),
                    environment: ProcessInfo.processInfo.environment,
                    directory: scenario.directory.url
                )
            }
            let statuses = try three.map { try $0.waitForExit(timeout: 30) }
            #expect(statuses == [0, 0, 0], "\(three.map(\.stderr))")
            #expect(three.filter { $0.stdout.contains(#""duplicate":false"#) }.count == 1, "\(three.map(\.stdout))")
            #expect(three.filter { $0.stdout.contains(#""duplicate":true"#) }.count == 2, "\(three.map(\.stdout))")
        }

        let deadline = Date().addingTimeInterval(60)
        while try scenario.cluster.count("SELECT count(*) FROM commands WHERE state = 'delivered'") < 30,
            Date() < deadline
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try scenario.cluster.count("SELECT count(*) FROM commands WHERE state = 'delivered'") == 30)
        #expect(try scenario.cluster.count("SELECT count(*) FROM commands") == 30)
        #expect(try scenario.cluster.count("SELECT count(*) FROM command_attempts") == 30, "one attempt each")

        // Stripe's API saw each key once and made one PaymentIntent per command.
        guard case .array(let requests)? = try emulator.request("GET", "/_emulator/requests?limit=100").body["data"]
        else {
            Issue.record("no request log")
            return
        }
        let keys = requests.compactMap { if case .string(let key)? = $0["idempotency_key"] { key } else { nil } }
        #expect(keys.count == 30 && Set(keys) == Set((0..<30).map { "cmd-replica-\($0)" }), "\(keys)")
        #expect(requests.allSatisfy { $0["idempotent_replayed"] == .bool(false) })
        guard case .array(let intents)? = try emulator.request("GET", "/v1/payment_intents?limit=100").body["data"]
        else {
            Issue.record("no PaymentIntents")
            return
        }
        #expect(intents.count == 30)
        #expect(intents.allSatisfy { $0["status"] == .string("succeeded") })
        #expect(try emulator.stop() == 0)
    }
}
