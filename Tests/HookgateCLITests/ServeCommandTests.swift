import Foundation
import Glibc
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// `hookgate serve` as a user runs it: a real process, real TLS, real files, real signals.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(2)))
struct ServeCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A working directory laid out like a fresh checkout: only `Config/hookgate.json`.
    func freshCheckout() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let config = try [UInt8](Data(contentsOf: Self.repository.appendingPathComponent("Config/hookgate.json")))
        _ = try directory.write("Config/hookgate.json", config)
        return directory
    }

    /// POSTs `body` with `signature` through curl, trusting the development certificate.
    func post(
        _ body: [UInt8],
        signature: String,
        to gateway: GatewayProcess,
        in directory: TemporaryDirectory
    ) throws
        -> (status: Int, body: String)
    {
        let result = try runTool(
            "curl",
            [
                "-sS", "--max-time", "10", "--cacert", directory.url.appendingPathComponent("certs/dev-cert.pem").path,
                "-H", "Content-Type: application/json", "-H", "Stripe-Signature: \(signature)",
                "--data-binary", "@-", "-w", "\n%{http_code}", gateway.webhookURL,
            ],
            stdin: body
        )
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    func stripeSignature(
        _ body: [UInt8],
        secret: String,
        at timestamp: Int64 = Int64(Date().timeIntervalSince1970)
    ) throws
        -> String
    {
        let key = try StripeSignatureScheme().makeKey(Secret(secret), label: "test")
        return StripeSignatureScheme().sign(body: body, keys: [key], timestamp: timestamp, messageID: nil)[
            "stripe-signature"
        ]!
    }

    func storedDeliveries(_ path: String) async throws -> [DeliveryRecord] {
        let store = try SQLiteDeliveryStore.running(configuration: .init(path: path))
        defer { Task { await store.close() } }
        return try await store.deliveries(matching: DeliveryQuery(limit: 100_000))
    }

    @Test func startsOnEmbeddedDefaultsAndStoresASignedDelivery() async throws {
        let directory = try self.freshCheckout()
        let gateway = try GatewayProcess(directory: directory.url)
        // Development fallbacks: a certificate (key mode 0600) and a generated secret, announced once.
        let keyPath = directory.url.appendingPathComponent("certs/dev-key.pem").path
        #expect(try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int == 0o600)
        let secret = try #require(gateway.stderr.firstMatch(of: /whsec_[A-Za-z0-9+\/=]+/)).output
        #expect(gateway.stderr.contains("STRIPE_WEBHOOK_SECRET is not set"))
        #expect(!gateway.stdout.contains(String(secret)), "the secret must not reach the log")

        let body = try CLIFixtures.bytes("payment_intent.succeeded.json")
        let first = try self.post(
            body,
            signature: self.stripeSignature(body, secret: String(secret)),
            to: gateway,
            in: directory
        )
        #expect(first.status == 200)
        #expect(first.body == #"{"id":"evt_WRAPPED0000000000000001","duplicate":false}"#)
        let second = try self.post(
            body,
            signature: self.stripeSignature(body, secret: String(secret)),
            to: gateway,
            in: directory
        )
        #expect(second.status == 200)
        #expect(second.body == #"{"id":"evt_WRAPPED0000000000000001","duplicate":true}"#)
        let unsigned = try self.post(body, signature: "t=1,v1=00", to: gateway, in: directory)
        #expect(unsigned.status == 401)

        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)
        let stored = try await self.storedDeliveries(directory.url.appendingPathComponent("data/hookgate.sqlite").path)
        #expect(stored.count == 1)
        #expect(stored.first.map { [UInt8]($0.received.body) } == body)
        #expect(!gateway.stdout.contains(String(secret)) && !gateway.stderr.contains("v1="))
    }

    /// A second `serve` on the same data directory refuses to start (exit 1, naming the pid that holds the
    /// lock) before it touches anything: no generated secret, no admin socket; the first gateway still answers
    /// `/healthz` on its admin socket and stores webhooks. A `serve` whose port is taken says so and removes
    /// only its own admin socket.
    @Test func aSecondServeOnTheSameDataDirectoryRefusesAndHarmsNothing() async throws {
        let directory = try self.freshCheckout()
        let secret = "whsec_two_gateways_one_directory"
        let first = try GatewayProcess(directory: directory.url, environment: ["STRIPE_WEBHOOK_SECRET": secret])
        var variables = ProcessInfo.processInfo.environment
        variables["HOOKGATE_LISTEN"] = "127.0.0.1:0"
        variables.removeValue(forKey: "STRIPE_WEBHOOK_SECRET")
        let second = try ChildProcess(
            executable: HookgateProcess.executable,
            arguments: ["serve"],
            environment: variables,
            directory: directory.url
        )
        #expect(try second.waitForExit() == 1)
        let lockPath = directory.url.appendingPathComponent("data/hookgate.lock").path
        #expect(
            second.stderr.contains(
                "hookgate serve: the data directory './data' is in use by another hookgate serve "
                    + "(pid \(first.process.processIdentifier)), which holds './data/hookgate.lock'"
            ),
            "\(second.stderr)"
        )
        #expect(!second.stderr.contains("whsec_"), "nothing generated before the lock")
        #expect(!second.stdout.contains("admin listening"))
        #expect(FileManager.default.fileExists(atPath: lockPath))

        let adminSocket = directory.url.appendingPathComponent("data/admin.sock").path
        let health = try runTool(
            "curl",
            ["-sS", "--max-time", "5", "--unix-socket", adminSocket, "http://admin/healthz"]
        )
        #expect(health.stdout == #"{"status":"alive"}"#, "\(health.stderr)")
        let body = try CLIFixtures.bytes("payment_intent.succeeded.json")
        let stored = try self.post(
            body,
            signature: self.stripeSignature(body, secret: secret),
            to: first,
            in: directory
        )
        #expect(stored.status == 200)

        // Another data directory, the same port: the bind failure names the address and the cause.
        let other = try self.freshCheckout()
        variables["HOOKGATE_LISTEN"] = "127.0.0.1:\(first.port)"
        let third = try ChildProcess(
            executable: HookgateProcess.executable,
            arguments: ["serve"],
            environment: variables,
            directory: other.url
        )
        #expect(try third.waitForExit() == 1)
        #expect(
            third.stderr.contains("cannot listen on 127.0.0.1:\(first.port): it is in use by another process"),
            "\(third.stderr)"
        )
        #expect(!FileManager.default.fileExists(atPath: other.url.appendingPathComponent("data/admin.sock").path))
        #expect(FileManager.default.fileExists(atPath: adminSocket))

        first.send(SIGTERM)
        #expect(try first.waitForExit() == 0)
        #expect(
            try await self.storedDeliveries(directory.url.appendingPathComponent("data/hookgate.sqlite").path).count
                == 1
        )
    }

    @Test func productionModeRefusesToStartWithoutSecretOrCertificate() throws {
        let directory = try TemporaryDirectory()
        let config = """
            {"mode": "production", "listen": ["127.0.0.1:0"],
             "tls": {"certificate": "certs/missing.pem", "private_key": "certs/missing-key.pem"},
             "endpoints": [{"name": "stripe", "path": "/webhooks/stripe", "scheme": "stripe",
                            "secrets": [{"label": "current", "env": "HOOKGATE_TEST_UNSET_SECRET"}]}]}
            """
        let path = try directory.write("production.json", Array(config.utf8))
        let result = try HookgateProcess.run(
            ["serve", "--config", path],
            environment: ["HOOKGATE_DATA_DIR": directory.url.path]
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("HOOKGATE_TEST_UNSET_SECRET"))
        #expect(result.stderr.contains("missing.pem"))
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("certs/missing.pem").path))
    }

    /// TLS 1.0 and 1.1 are refused by the server (the clients are allowed them with SECLEVEL=0, so the
    /// refusal is the server's protocol_version alert); TLS 1.2 and 1.3 work, ALPN is http/1.1.
    @Test func acceptsOnlyTLS12AndTLS13() throws {
        let directory = try self.freshCheckout()
        let gateway = try GatewayProcess(directory: directory.url)
        let address = "127.0.0.1:\(gateway.port)"
        for version in ["-tls1", "-tls1_1"] {
            let result = try runTool(
                "openssl",
                ["s_client", "-connect", address, version, "-cipher", "DEFAULT@SECLEVEL=0"],
                stdin: []
            )
            #expect(result.stdout.contains("Cipher is (NONE)"), "\(version)")
            #expect(result.stderr.contains("alert protocol version"), "\(version): \(result.stderr)")
        }
        for (version, expected) in [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")] {
            let result = try runTool(
                "openssl",
                ["s_client", "-connect", address, version, "-alpn", "http/1.1"],
                stdin: []
            )
            #expect(result.stdout.contains("New, \(expected), Cipher is"), "\(version)")
            #expect(result.stdout.contains("ALPN protocol: http/1.1"), "\(version)")
        }
        let certificate = directory.url.appendingPathComponent("certs/dev-cert.pem").path
        let curl11 = try runTool(
            "curl",
            [
                "-sS", "--cacert", certificate, "--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0",
                gateway.webhookURL,
            ]
        )
        #expect(curl11.status == 35)
        for flags in [["--tlsv1.2", "--tls-max", "1.2"], ["--tlsv1.3"]] {
            let curl = try runTool(
                "curl",
                ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", certificate] + flags + [gateway.webhookURL]
            )
            #expect(curl.stdout == "405", "\(flags): \(curl.stderr)")
        }
    }

    /// SIGHUP: new connections get the new certificate, a connection opened before keeps working.
    @Test func hangupSwapsTheCertificateWithoutDroppingConnections() throws {
        let directory = try self.freshCheckout()
        let gateway = try GatewayProcess(directory: directory.url)
        let address = "127.0.0.1:\(gateway.port)"
        func fingerprint() throws -> String {
            let served = try runTool(
                "openssl",
                ["s_client", "-connect", address, "-servername", "localhost"],
                stdin: []
            )
            return try runTool(
                "openssl",
                ["x509", "-noout", "-fingerprint", "-sha256"],
                stdin: Array(served.stdout.utf8)
            ).stdout
        }
        let before = try fingerprint()
        #expect(before.contains("Fingerprint="))

        // A connection opened before the reload: one request now, one after.
        let open = try KeepAliveClient(address: address)
        #expect(try open.get("/healthz").hasPrefix("HTTP/1.1 405"))

        let certificate = directory.url.appendingPathComponent("certs/dev-cert.pem").path
        let key = directory.url.appendingPathComponent("certs/dev-key.pem").path
        let regenerated = try HookgateProcess.run([
            "certs", "dev", "--force", "--certificate", certificate, "--private-key", key,
        ])
        #expect(regenerated.status == 0)
        gateway.send(SIGHUP)
        try gateway.waitForOutput("configuration reloaded")

        let after = try fingerprint()
        #expect(after.contains("Fingerprint="))
        #expect(after != before)
        #expect(try open.get("/healthz").hasPrefix("HTTP/1.1 405"))
        open.close()

        // An invalid configuration is rejected and the running one stays.
        _ = try directory.write("Config/hookgate.json", Array("{\"listen\": 5}".utf8))
        gateway.send(SIGHUP)
        try gateway.waitForOutput("reload rejected")
        #expect(try fingerprint() == after)
    }

    /// A disk that fills up (the file size limit) turns answers into 503 with Retry-After, never a 200 that
    /// was not stored; everything acknowledged before is intact.
    @Test func failingStoreAnswers503() async throws {
        let directory = try self.freshCheckout()
        let secret = "whsec_disk_full_test_0123456789"
        let gateway = try GatewayProcess(
            directory: directory.url,
            environment: ["STRIPE_WEBHOOK_SECRET": secret],
            fileSizeLimitKiB: 512
        )
        let certificate = directory.url.appendingPathComponent("certs/dev-cert.pem").path
        var acknowledged: [String] = []
        var refused = 0
        for index in 0..<400 where refused < 3 {
            let padding = String(repeating: "x", count: 2_000)
            let body = Array(
                #"{"id":"evt_full_\#(index)","object":"event","type":"payment_intent.succeeded","created":1700000000,"livemode":false,"padding":"\#(padding)"}"#
                    .utf8
            )
            let response = try runTool(
                "curl",
                [
                    "-sS", "-i", "--max-time", "10", "--cacert", certificate, "-H", "Content-Type: application/json",
                    "-H", "Stripe-Signature: \(try self.stripeSignature(body, secret: secret))", "--data-binary", "@-",
                    gateway.webhookURL,
                ],
                stdin: body
            )
            if response.stdout.hasPrefix("HTTP/1.1 200") {
                acknowledged.append("evt_full_\(index)")
            } else {
                #expect(response.stdout.hasPrefix("HTTP/1.1 503"), "\(response.stdout)")
                #expect(response.stdout.lowercased().contains("retry-after:"))
                #expect(response.stdout.contains(#""error":"store_unavailable""#))
                refused += 1
            }
        }
        print("disk full: \(acknowledged.count) acknowledged before \(refused) refusals")
        #expect(refused == 3, "the file size limit was never reached")
        #expect(acknowledged.count >= 10)
        gateway.send(SIGTERM)
        _ = try gateway.waitForExit()
        let stored = Set(
            try await self.storedDeliveries(directory.url.appendingPathComponent("data/hookgate.sqlite").path)
                .map(\.received.eventID)
        )
        #expect(Set(acknowledged).isSubset(of: stored))
    }

    /// SIGTERM under load: the gateway stops accepting, finishes what is in flight, and every request it
    /// answered 200 is in the store.
    @Test func terminateDuringLoadKeepsEveryAcknowledgedDelivery() async throws {
        let directory = try self.freshCheckout()
        let secret = "whsec_load_test_secret_0123456789"
        let gateway = try GatewayProcess(directory: directory.url, environment: ["STRIPE_WEBHOOK_SECRET": secret])
        let count = 600
        let certificate = directory.url.appendingPathComponent("certs/dev-cert.pem").path
        var transfers: [String] = []
        for index in 0..<count {
            let body = Array(
                #"{"id":"evt_load_\#(index)","object":"event","type":"payment_intent.succeeded","created":1700000000,"livemode":false,"data":{"object":{"id":"pi_\#(index)"}}}"#
                    .utf8
            )
            let bodyPath = try directory.write("bodies/\(index).json", body)
            // Options after `next` start afresh, so every transfer names its CA file and time limit.
            transfers.append(
                """
                url = "\(gateway.webhookURL)"
                cacert = "\(certificate)"
                max-time = 15
                header = "Content-Type: application/json"
                header = "Stripe-Signature: \(try self.stripeSignature(body, secret: secret))"
                data-binary = "@\(bodyPath)"
                output = "\(directory.url.path)/responses/\(index).json"
                """
            )
        }
        let config = transfers.joined(separator: "\nnext\n") + "\n"
        let configPath = try directory.write("curl.config", Array(config.utf8))
        try FileManager.default.createDirectory(
            at: directory.url.appendingPathComponent("responses"),
            withIntermediateDirectories: true
        )
        let load = Process()
        load.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        load.arguments = [
            "curl", "-s", "--parallel", "--parallel-max", "32", "-K", configPath,
        ]
        load.standardOutput = FileHandle.nullDevice
        load.standardError = FileHandle.nullDevice
        try load.run()
        // Stop the gateway once it has acknowledged part of the load.
        let deadline = Date().addingTimeInterval(20)
        while gateway.stdout.components(separatedBy: "outcome=ok").count < 60, Date() < deadline { usleep(5_000) }
        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)
        #expect(load.exitOrKill(within: 60), "curl did not finish within a minute")

        var acknowledged: Set<String> = []
        for index in 0..<count {
            let path = directory.url.appendingPathComponent("responses/\(index).json").path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains(#""duplicate":false"#)
            else { continue }
            acknowledged.insert("evt_load_\(index)")
        }
        let stored = Set(
            try await self.storedDeliveries(directory.url.appendingPathComponent("data/hookgate.sqlite").path)
                .map(\.received.eventID)
        )
        print("SIGTERM under load: \(acknowledged.count) of \(count) acknowledged, \(stored.count) stored")
        #expect(acknowledged.count >= 60)
        #expect(acknowledged.isSubset(of: stored), "acknowledged but not stored: \(acknowledged.subtracting(stored))")
    }
}
