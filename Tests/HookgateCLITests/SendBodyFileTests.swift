import Foundation
import Glibc
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// `hookgate send --body-file`: a real payload sent byte for byte, signed afresh.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(2)))
struct SendBodyFileTests {
    static let fixture = "stripe-events/refund.updated.json"

    func send(_ arguments: [String], stdin: [UInt8] = []) throws -> HookgateProcess.Result {
        try HookgateProcess.run(["send"] + arguments, environment: SendCommandTests.environment, stdin: stdin)
    }

    /// The stored body is the file's bytes; the repeat of --count 2 is answered as a duplicate; the stored
    /// signature (made now, not copied from anywhere) verifies.
    @Test func sendsTheFileByteForByteAndTheRepeatIsADuplicate() async throws {
        let (directory, gateway, certificate) = try SendCommandTests().startGateway()
        let bytes = try CLIFixtures.bytes(Self.fixture)
        let before = Int64(Date().timeIntervalSince1970)
        let result = try self.send([
            "--body-file", CLIFixtures.path(Self.fixture), "--count", "2", "--url", gateway.webhookURL,
            "--cacert", certificate,
        ])
        #expect(result.status == 0, "\(result.output)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == #"200 {"id":"evt_WRAPPED0000000000000006","duplicate":false}"#, "\(lines)")
        #expect(lines.dropFirst().first == #"200 {"id":"evt_WRAPPED0000000000000006","duplicate":true}"#)
        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)

        let stored = try await SendCommandTests().storedDeliveries(in: directory)
        #expect(stored.count == 1)
        let delivery = try #require(stored.first)
        #expect([UInt8](delivery.received.body) == bytes)
        let signature = try #require(delivery.received.headers.signature)
        let timestamp = try #require(signature.firstMatch(of: /^t=(\d+),/).flatMap { Int64($0.1) })
        #expect(timestamp >= before && timestamp <= before + 60)
        let verified = try HookgateProcess.run(
            ["verify", "--secret-env", "STRIPE_WEBHOOK_SECRET", "--header", signature, CLIFixtures.path(Self.fixture)],
            environment: SendCommandTests.environment
        )
        #expect(verified.status == 0, "\(verified.output)")
    }

    /// An event id that carries a line end, a carriage return and terminal escapes (valid JSON, signed) is
    /// stored as sent, but its log line stays one line, with the controls written as escapes: a body cannot
    /// forge a line of the gateway's log or drive the terminal that shows it.
    @Test func controlCharactersInAnEventIDNeverReachTheLogUnescaped() throws {
        let (directory, gateway, certificate) = try SendCommandTests().startGateway()
        defer { withExtendedLifetime(directory) {} }
        let forged =
            #"evt_forged\n2026-12-05T00:00:00+0000 info hookgate.ingress: hookgate.outcome=ok FORGED\r\u001b[2J\u0085"#
        let body =
            #"{"id":"\#(forged)","object":"event","type":"charge.succeeded","created":1764000000,"#
            + #""data":{"object":{}}}"#
        let result = try self.send(
            ["--body-file", "-", "--url", gateway.webhookURL, "--cacert", certificate],
            stdin: Array(body.utf8)
        )
        #expect(result.status == 0, "\(result.output)")
        try gateway.waitForOutput("hookgate.outcome=ok")
        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)
        let log = gateway.stdout
        let requestLines = log.split(separator: "\n").filter { $0.contains("evt_forged") }
        #expect(requestLines.count == 1, "\(requestLines)")
        #expect(!log.split(separator: "\n").contains { $0.hasPrefix("2026-12-05T00:00:00+0000") }, "a forged line")
        #expect(!log.contains("\r") && !log.contains("\u{1B}") && !log.contains("\u{85}"))
        #expect(requestLines.first?.contains(#"evt_forged\n2026-12-05"#) == true)
        #expect(requestLines.first?.contains(#"FORGED\r\u{1B}[2J\u{85}"#) == true, "\(requestLines)")
    }

    /// --print shows the exact bytes, from a file or from standard input (`-`).
    @Test func printsTheExactBytes() throws {
        let bytes = try CLIFixtures.bytes(Self.fixture)
        let fromFile = try self.send(["--body-file", CLIFixtures.path(Self.fixture), "--print"])
        #expect(fromFile.status == 0, "\(fromFile.output)")
        #expect(Array(fromFile.stdout.utf8) == bytes)
        let fromStandardInput = try self.send(["--body-file", "-", "--print"], stdin: bytes)
        #expect(fromStandardInput.status == 0, "\(fromStandardInput.output)")
        #expect(Array(fromStandardInput.stdout.utf8) == bytes)
    }

    /// Options that change a template's event do not apply to a file; a TYPE and a file are one too many;
    /// an unreadable file is named. All usage errors: exit 2.
    @Test func refusesTemplateOptionsAndUnreadableFiles() throws {
        let path = CLIFixtures.path(Self.fixture)
        for (arguments, message) in [
            (["--body-file", path, "--set", "data.object.amount=1"], "--set cannot be used with --body-file"),
            (["--body-file", path, "--payment-id", "pi_1"], "--payment-id cannot be used with --body-file"),
            (["--body-file", path, "--live"], "--live cannot be used with --body-file"),
            (["refund.updated", "--body-file", path], "give an event TYPE or --body-file, not both"),
            (["--body-file", "/nonexistent/event.json"], "cannot read the body file '/nonexistent/event.json'"),
            ([], "give an event type (hookgate send --list shows them) or --body-file"),
        ] {
            let result = try self.send(arguments + ["--print"])
            #expect(result.status == 2, "\(arguments): \(result.output)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }
}
