import Foundation
import Glibc
import HookgateCore
import HookgateTestSupport
import Testing

/// `hookgate sink` as a real process on a real Unix socket, driven with curl.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(2)))
struct SinkCommandTests {
    static let cloudEvent = Array(
        #"{"specversion":"1.0","id":"evt_1","type":"payment-succeeded","source":"hookgate","subject":"pi_123","data":{"amount":2000}}"#
            .utf8
    )
    static let deliveryHeaders = [
        "Content-Type: application/cloudevents+json", "Hookgate-Delivery-Id: 42", "Hookgate-Attempt: 1",
    ]

    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// No --socket: the default upstream socket in the data directory, created 0700 with the socket 0600.
    @Test func printsEachDeliveryAsAJSONLineOnTheDefaultSocket() throws {
        let directory = try TemporaryDirectory()
        let dataDirectory = directory.url.appendingPathComponent("data").path
        let socket = dataDirectory + "/payments.sock"
        let sink = try SinkProcess(directory: directory.url, environment: ["HOOKGATE_DATA_DIR": dataDirectory])
        #expect(sink.stderr.contains("listening on \(socket)"), "\(sink.stderr)")
        #expect(try self.mode(dataDirectory) == 0o700)
        #expect(try self.mode(socket) == 0o600)

        let response = try postOverUnixSocket(socket, body: Self.cloudEvent, headers: Self.deliveryHeaders)
        #expect(response.status == 200)
        #expect(response.body == #"{"received":true}"#)
        let line = try #require(try sink.waitForLines(1).first)
        let printed = try JSONValueParser.parse(line)
        #expect(printed["method"] == .string("POST"))
        #expect(printed["path"] == .string("/events"))
        #expect(printed["delivery_id"] == .integer(42))
        #expect(printed["attempt"] == .integer(1))
        #expect(printed["content_type"] == .string("application/cloudevents+json"))
        #expect(printed["status"] == .integer(200))
        #expect(printed["verified"] == nil)
        #expect(printed["event"] == (try JSONValueParser.parse(Self.cloudEvent)))
        #expect(
            printed["received_at"].map { if case .string(let text) = $0 { text.hasSuffix("Z") } else { false } } == true
        )

        #expect(try sink.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
        #expect(sink.stderr.contains("received 1, answered 2xx 1, failed 0"), "\(sink.stderr)")
    }

    /// HOOKGATE_UPSTREAM_SOCKET wins over the data directory; any path is accepted and reported; a body
    /// that is not JSON is printed as base64.
    @Test func usesTheUpstreamSocketVariableAndReportsAnyPath() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.url.appendingPathComponent("upstream.sock").path
        let sink = try SinkProcess(
            directory: directory.url,
            environment: ["HOOKGATE_UPSTREAM_SOCKET": socket, "HOOKGATE_DATA_DIR": directory.url.path + "/unused"]
        )
        let response = try postOverUnixSocket(socket, path: "/payments/in", body: Array("not json".utf8))
        #expect(response.status == 200)
        let printed = try JSONValueParser.parse(try #require(try sink.waitForLines(1).first))
        #expect(printed["path"] == .string("/payments/in"))
        #expect(printed["body_base64"] == .string("bm90IGpzb24="))
        #expect(printed["delivery_id"] == .null)
        #expect(!FileManager.default.fileExists(atPath: directory.url.path + "/unused"))
        #expect(try sink.stop() == 0)
    }

    @Test func failsTheFirstRequestsThenSucceeds() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.url.appendingPathComponent("p.sock").path
        let sink = try SinkProcess(
            directory: directory.url,
            arguments: ["--socket", socket, "--fail-first", "2", "--fail-status", "503", "--retry-after", "7"]
        )
        let responses = try (0..<3).map { _ in
            try postOverUnixSocket(socket, body: Self.cloudEvent, headers: Self.deliveryHeaders)
        }
        #expect(responses.map(\.status) == [503, 503, 200])
        #expect(responses.map { $0.headers["retry-after"] } == ["7", "7", nil])
        let statuses = try sink.waitForLines(3).map { try JSONValueParser.parse($0)["status"] }
        #expect(statuses == [.integer(503), .integer(503), .integer(200)])
        #expect(try sink.stop() == 0)
        #expect(sink.stderr.contains("received 3, answered 2xx 1, failed 2 (503: 2)"), "\(sink.stderr)")
    }

    /// --status forces one answer; --fail-rate 1 fails everything with --fail-status.
    @Test func forcedStatusAndFailRate() throws {
        let directory = try TemporaryDirectory()
        let forcedSocket = directory.url.appendingPathComponent("forced.sock").path
        let forced = try SinkProcess(
            directory: directory.url,
            arguments: ["--socket", forcedSocket, "--status", "400"]
        )
        #expect(try postOverUnixSocket(forcedSocket, body: Self.cloudEvent).status == 400)
        let rateSocket = directory.url.appendingPathComponent("rate.sock").path
        let failing = try SinkProcess(
            directory: directory.url,
            arguments: ["--socket", rateSocket, "--fail-rate", "1"]
        )
        #expect(
            try (0..<3).map { _ in try postOverUnixSocket(rateSocket, body: Self.cloudEvent).status } == [
                500, 500, 500,
            ]
        )
        #expect(try forced.stop() == 0)
        #expect(try failing.stop() == 0)
    }

    @Test func readableLineOnRequest() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.url.appendingPathComponent("p.sock").path
        let sink = try SinkProcess(directory: directory.url, arguments: ["--socket", socket, "--format", "text"])
        _ = try postOverUnixSocket(socket, body: Self.cloudEvent, headers: Self.deliveryHeaders)
        let line = try #require(try sink.waitForLines(1).first)
        #expect(line.firstMatch(of: #/^\d\d:\d\d:\d\d\.\d{3}  POST /events  /#) != nil, "\(line)")
        #expect(line.hasSuffix("payment-succeeded  pi_123  evt_1  delivery 42 attempt 1  → 200"), "\(line)")
        #expect(try sink.stop() == 0)
    }

    @Test func answersSlowlyWithDelay() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.url.appendingPathComponent("p.sock").path
        let sink = try SinkProcess(directory: directory.url, arguments: ["--socket", socket, "--delay", "300ms"])
        let response = try postOverUnixSocket(socket, body: Self.cloudEvent)
        #expect(response.status == 200)
        #expect(response.seconds >= 0.3, "answered after \(response.seconds) s")
        #expect(try sink.stop() == 0)
    }

    @Test func bodyOverTheLimitGets413() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.url.appendingPathComponent("p.sock").path
        let sink = try SinkProcess(
            directory: directory.url,
            arguments: ["--socket", socket, "--max-body-bytes", "100"]
        )
        let response = try postOverUnixSocket(socket, body: Array(repeating: UInt8(ascii: "x"), count: 200))
        #expect(response.status == 413)
        #expect(try postOverUnixSocket(socket, body: Self.cloudEvent).status == 413)
        #expect(try postOverUnixSocket(socket, body: Array("{}".utf8)).status == 200)
        #expect(try sink.stop() == 0)
    }

    /// --verify-secret-env: the gateway's Standard Webhooks signature is checked, 401 when it fails.
    @Test func checksStandardWebhooksSignatures() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.url.appendingPathComponent("p.sock").path
        let secret = "whsec_" + Data("a sink test secret, 32 bytes lng".utf8).base64EncodedString()
        let sink = try SinkProcess(
            directory: directory.url,
            arguments: ["--socket", socket, "--verify-secret-env", "SINK_TEST_SECRET"],
            environment: ["SINK_TEST_SECRET": secret]
        )
        let scheme = StandardWebhooksSignatureScheme()
        let key = try scheme.makeKey(Secret(secret), label: "test")
        let signed = scheme.sign(body: Self.cloudEvent, keys: [key], timestamp: Int64(time(nil)), messageID: "msg_1")
        let headers = signed.fields.map { "\($0.name): \($0.value)" }
        #expect(try postOverUnixSocket(socket, body: Self.cloudEvent, headers: headers).status == 200)
        let tampered = Array(Self.cloudEvent.dropLast()) + Array(",}".utf8)
        #expect(try postOverUnixSocket(socket, body: tampered, headers: headers).status == 401)
        #expect(try postOverUnixSocket(socket, body: Self.cloudEvent).status == 401)
        let lines = try sink.waitForLines(3).map { try JSONValueParser.parse($0) }
        #expect(lines.map { $0["verified"] } == [.bool(true), .bool(false), .bool(false)])
        // Each refusal says why, in the answer and the output: a missing signature points at the gateway's
        // upstream.signing_secret (unset in the default configuration).
        #expect(lines[0]["refusal"] == nil)
        #expect(lines[1]["refusal"].map { "\($0)".contains("upstream.signing_secret") } == true, "\(lines[1])")
        #expect(
            lines[2]["refusal"]
                == .string(
                    "the request has no webhook-signature header: is upstream.signing_secret set on the gateway?"
                )
        )
        let unsigned = try postOverUnixSocket(socket, body: Self.cloudEvent)
        #expect(
            unsigned.body
                == #"{"error":"signature_invalid","message":"the request has no webhook-signature header: is upstream.signing_secret set on the gateway?"}"#
        )
        #expect(try sink.stop() == 0)
        #expect(!sink.stdout.contains(secret) && !sink.stderr.contains(secret))
    }

    /// A socket file left by a dead sink is replaced; a socket a live sink listens on is refused.
    @Test func replacesAStaleSocketAndRefusesALiveOne() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.url.appendingPathComponent("p.sock").path
        try Self.leaveStaleSocket(at: socket)
        #expect(FileManager.default.fileExists(atPath: socket))

        let first = try SinkProcess(directory: directory.url, arguments: ["--socket", socket])
        #expect(first.process.isRunning, "\(first.stderr)")
        #expect(try postOverUnixSocket(socket, body: Self.cloudEvent).status == 200)

        let second = try SinkProcess(directory: directory.url, arguments: ["--socket", socket])
        #expect(try second.waitForExit() == 1)
        #expect(
            second.stderr.contains("cannot listen on \(socket): another process is listening on it"),
            "\(second.stderr)"
        )
        #expect(try postOverUnixSocket(socket, body: Self.cloudEvent).status == 200, "the first sink keeps its socket")

        let regular = directory.url.appendingPathComponent("regular").path
        #expect(FileManager.default.createFile(atPath: regular, contents: Data("keep".utf8)))
        let refused = try HookgateProcess.run(["sink", "--socket", regular])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("exists and is not a socket"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: regular, encoding: .utf8) == "keep")
        #expect(try first.stop() == 0)
    }

    /// Binds a Unix socket at `path` and closes it without removing the file, as a killed process does.
    static func leaveStaleSocket(at path: String) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        close(descriptor)
        guard bound == 0 else { throw GatewayProcessError(message: "bind failed: \(errno)") }
    }
}
