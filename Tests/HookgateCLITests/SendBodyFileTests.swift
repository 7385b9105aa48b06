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
