import Foundation
import Glibc
import HookgateCore
import HookgateTestSupport

/// Three (or `count`) `hookgate serve` replicas on one PostgreSQL database of a cluster of the test's own, each
/// with its own port and data directory, all forwarding to one `hookgate sink` socket, and what the replica
/// tests drive them with: signed events posted by curl, `hookgate send`, psql.
final class ReplicaScenario: @unchecked Sendable {
    static let secret = DeliveryScenario.secret

    let directory: TemporaryDirectory
    let cluster: PostgresCluster
    private let configPath: String
    /// The replicas, by index; `nil` once killed.
    private(set) var replicas: [GatewayProcess?] = []

    /// Starts the cluster and `count` replicas with `upstream.timeout_ms` `timeoutMilliseconds` (a killed
    /// replica's leases expire 30 s after that), fast retries and `environment` besides their own.
    init(count: Int = 3, timeoutMilliseconds: Int = 2000, environment: [String: String] = [:]) throws {
        self.directory = try TemporaryDirectory()
        self.cluster = try PostgresCluster()
        let config = DeliveryScenario.configuration(timeoutMilliseconds: timeoutMilliseconds)
        self.configPath = try self.directory.write("hookgate-replica.json", Array(config.utf8))
        for index in 0..<count {
            self.replicas.append(
                try GatewayProcess(
                    directory: self.directory.url,
                    arguments: ["--config", self.configPath],
                    environment: [
                        "STRIPE_WEBHOOK_SECRET": Self.secret,
                        "HOOKGATE_DATABASE_URL": self.cluster.url,
                        "HOOKGATE_DATA_DIR": self.directory.url.appendingPathComponent("replica\(index)").path,
                        "HOOKGATE_UPSTREAM_SOCKET": self.socketPath,
                    ].merging(environment) { $1 }
                )
            )
        }
    }

    /// The socket every replica forwards to.
    var socketPath: String { self.directory.url.appendingPathComponent("payments.sock").path }

    /// The commands socket of replica `index` (`<its data dir>/commands.sock`).
    func commandsSocket(of index: Int) -> String {
        self.directory.url.appendingPathComponent("replica\(index)/commands.sock").path
    }

    /// The webhook URL of replica `index`.
    func url(of index: Int) -> String {
        "https://127.0.0.1:\(self.replicas[index]!.port)/webhooks/stripe"
    }

    /// The process id of replica `index`.
    func pid(of index: Int) -> Int32 { self.replicas[index]!.process.processIdentifier }

    /// Sends `signal` to replica `index`.
    func signal(_ index: Int, _ signal: Int32) {
        self.replicas[index]!.send(signal)
    }

    /// Kills replica `index` with SIGKILL and waits until it is gone.
    func kill(_ index: Int) throws {
        let replica = self.replicas[index]!
        replica.send(SIGKILL)
        _ = try replica.waitForExit()
        self.replicas[index] = nil
    }

    /// Starts `hookgate sink --format json` on the replicas' socket with `arguments`.
    func startSink(_ arguments: [String] = []) throws -> SinkProcess {
        try SinkProcess.reportingJSON(on: self.socketPath, in: self.directory.url, arguments: arguments)
    }

    /// Runs `hookgate send` with `arguments` against replica `index`.
    func send(_ arguments: [String], to index: Int) throws -> HookgateProcess.Result {
        try HookgateProcess.run(
            ["send"] + arguments + ["--insecure", "--url", self.url(of: index)],
            environment: ["STRIPE_WEBHOOK_SECRET": Self.secret]
        )
    }

    /// Starts `hookgate send` with `arguments` against replica `index` without waiting for it.
    func startSending(_ arguments: [String], to index: Int) throws -> ChildProcess {
        try ChildProcess(
            executable: HookgateProcess.executable,
            arguments: ["send"] + arguments + ["--insecure", "--url", self.url(of: index)],
            environment: ProcessInfo.processInfo.environment.merging(["STRIPE_WEBHOOK_SECRET": Self.secret]) { $1 },
            directory: self.directory.url
        )
    }

    /// One answer to a ``post(_:)``.
    struct Answer {
        let status: Int
        let body: String
        var isDuplicate: Bool { self.body.contains(#""duplicate":true"#) }
        var isStoredNow: Bool { self.status == 200 && self.body.contains(#""duplicate":false"#) }
    }

    /// POSTs each body, signed now, to its replica, and returns the answers in order (status 0: no answer).
    /// `parallel` curl processes run at once, each sending its share (request `i` goes to process
    /// `i % parallel`) one after the other. (One curl with `--parallel` hung in curl 7.88 after a few hundred
    /// transfers.)
    func post(_ requests: [(body: [UInt8], replica: Int)], parallel: Int = 6) throws -> [Answer] {
        let scheme = StripeSignatureScheme()
        let key = try scheme.makeKey(Secret(Self.secret), label: "test")
        let now = Int64(Date().timeIntervalSince1970)
        let batch = "post-\(UUID().uuidString)"
        var configs = [String](repeating: "", count: min(parallel, requests.count))
        for (index, request) in requests.enumerated() {
            let bodyPath = try self.directory.write("\(batch)/\(index).json", request.body)
            let signature = scheme.sign(body: request.body, keys: [key], timestamp: now, messageID: nil)
            let group = index % configs.count
            if !configs[group].isEmpty { configs[group] += "next\n" }
            configs[group] += """
                url = "\(self.url(of: request.replica))"
                insecure
                silent
                max-time = 30
                header = "content-type: application/json"
                header = "stripe-signature: \(signature["stripe-signature"]!)"
                data-binary = "@\(bodyPath)"
                output = "\(bodyPath).answer"
                write-out = "%{http_code} %{filename_effective}\\n"

                """
        }
        let curls = try configs.enumerated().map { group, config in
            let path = try self.directory.write("\(batch)/curl-\(group).config", Array(config.utf8))
            return try ChildProcess(
                executable: URL(fileURLWithPath: "/usr/bin/curl"),
                arguments: ["--config", path],
                environment: ProcessInfo.processInfo.environment,
                directory: self.directory.url
            )
        }
        // One `<status> <answer file>` line per request.
        var statuses: [String: Int] = [:]
        for (group, curl) in curls.enumerated() {
            _ = try curl.waitForExit(timeout: 120)
            // The output is read as it comes, so its end may still be on the way when curl has exited.
            let lines = (requests.count - group + configs.count - 1) / configs.count
            let deadline = Date().addingTimeInterval(5)
            while curl.stdout.split(separator: "\n").count < lines, Date() < deadline { usleep(1_000) }
            for line in curl.stdout.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                if parts.count == 2, let status = Int(parts[0]) { statuses[String(parts[1])] = status }
            }
        }
        return (0..<requests.count).map { index in
            let answerPath = self.directory.url.appendingPathComponent("\(batch)/\(index).json.answer").path
            let body = (try? String(contentsOfFile: answerPath, encoding: .utf8)) ?? ""
            return Answer(status: statuses[answerPath] ?? 0, body: body)
        }
    }

    /// Event bodies of `type`, each with its own event id, about `payment` (each about a payment of its own when
    /// `nil`: one payment's second success would be skipped as a repeated fact).
    func events(_ type: String, count: Int, payment: String? = nil) throws -> [(id: String, body: [UInt8])] {
        let printed = try HookgateProcess.run(["send", type, "--print"])
        guard printed.status == 0,
            let eventID = printed.stdout.firstMatch(of: /"(evt_[A-Za-z0-9]+)"/)?.1,
            let paymentID = printed.stdout.firstMatch(of: /"(pi_[A-Za-z0-9]+)"/)?.1
        else { throw GatewayProcessError(message: "send --print: \(printed.output)") }
        let batch = UUID().uuidString.prefix(8)
        return (0..<count).map { index in
            let id = "evt_replica\(batch)\(index)"
            let body = printed.stdout.replacingOccurrences(of: String(eventID), with: id)
                .replacingOccurrences(of: String(paymentID), with: payment ?? "pi_replica\(batch)\(index)")
            return (id, Array(body.utf8))
        }
    }
}
