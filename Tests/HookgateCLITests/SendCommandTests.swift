import Foundation
import Glibc
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// `hookgate send` against a real `hookgate serve` on an ephemeral port with its generated development
/// certificate, trusted through the development CA.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(3)))
struct SendCommandTests {
    static let secret = "whsec_hookgateSendCommandTests0001"
    static let environment = ["STRIPE_WEBHOOK_SECRET": secret]

    /// A fresh checkout with a gateway running on it, using ``secret``; `serve` generates the development CA
    /// and a certificate it signed, and clients trust the CA (returned as `ca`).
    func startGateway() throws -> (TemporaryDirectory, GatewayProcess, ca: String) {
        let directory = try ServeCommandTests().freshCheckout()
        let gateway = try GatewayProcess(directory: directory.url, environment: Self.environment)
        return (directory, gateway, directory.url.appendingPathComponent("certs/dev-ca.pem").path)
    }

    func send(_ arguments: [String], environment: [String: String] = environment) throws -> HookgateProcess.Result {
        try HookgateProcess.run(["send"] + arguments, environment: environment)
    }

    func storedDeliveries(in directory: TemporaryDirectory) async throws -> [DeliveryRecord] {
        try await ServeCommandTests().storedDeliveries(
            directory.url.appendingPathComponent("data/hookgate.sqlite").path
        )
    }

    @Test func sendsAFreshEventThatTheGatewayStoresAndThatVerifies() async throws {
        let (directory, gateway, ca) = try self.startGateway()
        let before = Int64(Date().timeIntervalSince1970)
        let result = try self.send(["payment_intent.succeeded", "--url", gateway.webhookURL, "--cacert", ca])
        #expect(result.status == 0, "\(result.output)")
        let line = try #require(result.stdout.split(separator: "\n").first)
        let match = try #require(
            line.wholeMatch(of: /200 \{"id":"(evt_[0-9A-Za-z]{24})","duplicate":false\}/),
            "\(line)"
        )
        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)

        let stored = try await self.storedDeliveries(in: directory)
        let delivery = try #require(stored.first)
        #expect(stored.count == 1)
        #expect(delivery.received.eventID == String(match.1))
        #expect(delivery.received.eventType == "payment_intent.succeeded")
        let event = try JSONValueParser.parse([UInt8](delivery.received.body))
        let created = try #require({ if case .integer(let value) = event["created"] { value } else { nil } }())
        #expect(created >= before && created <= before + 60)
        #expect(event["livemode"] == .bool(false))
        #expect(event["api_version"] == .string("2026-07-29.dahlia"))
        let object = try #require(event["data"]?["object"])
        guard case .string(let paymentID) = object["id"], case .string(let chargeID) = object["latest_charge"] else {
            Issue.record("no payment or charge id in \(object)")
            return
        }
        #expect(paymentID.wholeMatch(of: /pi_[0-9A-Za-z]{24}/) != nil)
        #expect(chargeID.wholeMatch(of: /ch_[0-9A-Za-z]{24}/) != nil)

        // The stored bytes and signature header verify with `hookgate verify`, as any Stripe SDK would.
        let signature = try #require(delivery.received.headers.signature)
        let body = try directory.write("sent.json", [UInt8](delivery.received.body))
        let verified = try HookgateProcess.run(
            ["verify", "--secret-env", "STRIPE_WEBHOOK_SECRET", "--header", signature, body],
            environment: Self.environment
        )
        #expect(verified.status == 0, "\(verified.output)")
        #expect(!result.output.contains(Self.secret))
    }

    /// Without --cacert the development certificate is not trusted: a clear error and exit 1. --insecure
    /// skips the check; a wrong secret gets the gateway's 401 and exit 1.
    @Test func trustsTheServerOnlyWithCacertOrInsecure() throws {
        let (_, gateway, _) = try self.startGateway()
        let untrusted = try self.send(["payment_intent.succeeded", "--url", gateway.webhookURL, "--timeout", "10"])
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.contains("certificate is not trusted"), "\(untrusted.stderr)")
        #expect(untrusted.stderr.contains("--cacert"))

        let insecure = try self.send(["charge.refunded", "--url", gateway.webhookURL, "--insecure"])
        #expect(insecure.status == 0, "\(insecure.output)")
        #expect(insecure.stdout.hasPrefix("200 {\"id\":\"evt_"))

        let wrongSecret = try self.send(
            ["refund.updated", "--url", gateway.webhookURL, "--insecure", "--secret-env", "OTHER_SECRET"],
            environment: ["OTHER_SECRET": "whsec_not_the_gateways_secret"]
        )
        #expect(wrongSecret.status == 1)
        #expect(wrongSecret.stdout.hasPrefix("401 {\"error\":\"signature_mismatch\""), "\(wrongSecret.output)")
        #expect(!wrongSecret.output.contains("whsec_not_the_gateways_secret"))
    }

    @Test func sendsManyEventsConcurrentlyAndSummarises() async throws {
        let (directory, gateway, ca) = try self.startGateway()
        let result = try self.send([
            "invoice.paid", "--url", gateway.webhookURL, "--cacert", ca, "--count", "40", "--concurrency", "4",
        ])
        #expect(result.status == 0, "\(result.output)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(
            lines.first?.wholeMatch(of: /sent 40 in \d+\.\d\d s \(\d+\.\d events\/s\), concurrency 4/) != nil,
            "\(lines)"
        )
        #expect(lines.dropFirst().first == "2xx 40, non-2xx 0, errors 0")
        #expect(lines.last?.wholeMatch(of: /latency p50 \d+\.\d\d ms, p99 \d+\.\d\d ms/) != nil, "\(lines)")
        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)
        let stored = try await self.storedDeliveries(in: directory)
        #expect(Set(stored.map(\.received.eventID)).count == 40)
    }

    /// --print shows the body: --set overrides (JSON values, strings, new keys), fixed payment id, fresh ids.
    @Test func setOverridesShowUpInThePrintedBody() throws {
        let printed = try self.send(
            [
                "refund.created", "--print", "--payment-id", "pi_fixed", "--set", "data.object.amount=500",
                "--set", "data.object.metadata.order_id=ord_1", "--set", #"data.object.reason="500""#,
                "--set", "data.object.new.nested=true", "--live",
            ],
            environment: [:]
        )
        #expect(printed.status == 0, "\(printed.output)")
        let event = try JSONValueParser.parse(printed.stdout)
        let object = try #require(event["data"]?["object"])
        #expect(object["amount"] == .integer(500))
        #expect(object["metadata"]?["order_id"] == .string("ord_1"))
        #expect(object["reason"] == .string("500"))
        #expect(object["new"]?["nested"] == .bool(true))
        #expect(object["payment_intent"] == .string("pi_fixed"))
        #expect(event["livemode"] == .bool(true))
        #expect(event["type"] == .string("refund.created"))
        let again = try JSONValueParser.parse(try self.send(["refund.created", "--print"], environment: [:]).stdout)
        #expect(again["id"] != event["id"])
        #expect(again["data"]?["object"]?["id"] != object["id"])

        let badPath = try self.send(["refund.created", "--print", "--set", "type.inner=1"], environment: [:])
        #expect(badPath.status == 2)
        #expect(badPath.stderr.contains("--set type.inner: cannot go into a string at 'type'"), "\(badPath.stderr)")
    }

    /// What `--list` promises is what the gateway does with the event: a type listed with `(catalog: X)` is
    /// forwarded as X by the default mapping, every other type is stored and skipped.
    @Test func listSaysWhatTheGatewayForwards() throws {
        let list = try self.send(["--list"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 10)
        for line in lines {
            let type = String(line.prefix { $0 != " " })
            let promised = line.firstMatch(of: /catalog: ([a-z-]+)\)$/).map { String($0.1) }
            let printed = try self.send([type, "--print"], environment: [:])
            #expect(printed.status == 0, "\(printed.output)")
            switch try StripeEventNormalizer.normalize(
                body: Array(printed.stdout.utf8),
                options: NormalizationOptions()
            )
            {
            case .forward(let events):
                #expect(promised != nil, "\(type) is forwarded, but --list names no catalog event")
                #expect(!events.isEmpty && events.allSatisfy { $0.type == promised }, "\(type): \(events.map(\.type))")
            case .skip(let reason):
                #expect(promised == nil, "\(type) promises \(promised ?? "") but is skipped: \(reason)")
            case .forwardOriginal:
                Issue.record("\(type) is printed as a thin event, which send does not make")
            }
        }
    }

    @Test func unknownTypeSuggestsTheClosest() throws {
        let typo = try self.send(["payment_intent.suceeded"])
        #expect(typo.status == 2)
        #expect(
            typo.stderr.contains(
                "unknown event type 'payment_intent.suceeded'; did you mean 'payment_intent.succeeded'?"
            ),
            "\(typo.stderr)"
        )
    }

    /// A send that reaches nothing says that it could not connect, counts no event as sent, and exits 1.
    @Test func sendThatCannotConnectCountsNothingAsSent() throws {
        let (result, url) = try LoopbackPort.whileBound { port in
            let url = "https://127.0.0.1:\(port)/webhooks/stripe"
            return (try self.send(["payment_intent.succeeded", "--url", url]), url)
        }
        #expect(result.status == 1)
        let failure = "cannot connect to \(url): connection refused (is 'hookgate serve' running?)"
        #expect(result.stderr.hasPrefix("hookgate send: evt_"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix(": \(failure)\n"), "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(
            lines.first?.wholeMatch(of: /sent 0 of 1 in \d+\.\d\d s \(0\.0 events\/s\), concurrency 1/) != nil,
            "\(lines)"
        )
        #expect(lines.dropFirst().first == "2xx 0, non-2xx 0, errors 1")
        #expect(lines.last == "error ×1: \(failure)")
    }

    @Test func listsTypesAndRejectsBadUsage() throws {
        let list = try self.send(["--list"])
        #expect(list.status == 0)
        for type in [
            "payment_intent.succeeded", "payment_intent.payment_failed", "charge.succeeded", "charge.failed",
            "charge.refunded", "refund.created", "refund.updated", "charge.refund.updated", "customer.created",
            "invoice.paid",
        ] {
            #expect(list.stdout.contains("\(type)  "), "\(type)")
            let printed = try self.send([type, "--print"], environment: [:])
            #expect(printed.status == 0)
            #expect((try? JSONValueParser.parse(printed.stdout))?["type"] == .string(type))
        }
        let unknown = try self.send(["payment_intent.exploded"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown event type 'payment_intent.exploded'"))
        let noSecret = try self.send(["charge.succeeded"], environment: ["STRIPE_WEBHOOK_SECRET": ""])
        #expect(noSecret.status == 2)
        #expect(noSecret.stderr.contains("STRIPE_WEBHOOK_SECRET"), "\(noSecret.stderr)")
        let both = try self.send(["charge.succeeded", "--insecure", "--cacert", "x.pem"])
        #expect(both.status == 2)
    }
}
