import Foundation
import Glibc
import HookgateCore
import HookgateTestSupport
import Testing

/// `hookgate dashboard` against a real `serve`, and `serve`'s own `admin.http_listen`, driven by curl: the
/// one-time token, the session cookie, CSRF, and the refusals.
@Suite(.onItsOwnThread, .timeLimit(.minutes(2)))
struct DashboardCommandTests {
    /// An answer read by curl.
    struct Answer {
        var status: Int
        var fields: [(name: String, value: String)]
        var body: String

        func field(_ name: String) -> String? { self.fields.first { $0.name == name }?.value }

        /// The value of the cookie `name` this answer sets.
        func cookie(_ name: String) -> String? {
            self.fields.first { $0.name == "set-cookie" && $0.value.hasPrefix("\(name)=") }.map {
                String($0.value.dropFirst(name.count + 1).prefix { $0 != ";" })
            }
        }

        var json: JSONValue? { try? JSONValueParser.parse(Array(self.body.utf8)) }
    }

    /// `curl -i` with `arguments`; the status, header fields and body.
    static func curl(_ url: String, _ arguments: [String] = []) throws -> Answer {
        let result = try runTool("curl", ["-s", "-i", "--max-time", "20"] + arguments + [url])
        guard let split = result.stdout.range(of: "\r\n\r\n") else {
            throw GatewayProcessError(message: "curl \(url): no answer: \(result.stderr)")
        }
        var lines = result.stdout[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
        let fields = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Answer(status: status, fields: fields, body: String(result.stdout[split.upperBound...]))
    }

    /// The environment of a child without a desktop (no browser is started).
    static var withoutDesktop: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DISPLAY")
        environment.removeValue(forKey: "WAYLAND_DISPLAY")
        return environment
    }

    /// Waits until `condition` holds for `child`'s output, at most `timeout` seconds.
    static func waitFor(
        _ child: ChildProcess,
        timeout: TimeInterval = 20,
        _ condition: (ChildProcess) -> Bool
    ) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition(child), child.isRunning, Date() < deadline { usleep(20_000) }
        guard condition(child) else {
            throw GatewayProcessError(message: "waited in vain:\n\(child.stdout)\n\(child.stderr)")
        }
    }

    @Test func dashboardProxiesTheAdminSocketBehindAOneTimeToken() async throws {
        let scenario = try DeliveryScenario()
        #expect(try scenario.send(["payment_intent.succeeded"]).status == 0)
        let socket = scenario.directory.url.appendingPathComponent("data/admin.sock").path
        let dashboard = try ChildProcess(
            executable: HookgateProcess.executable,
            arguments: ["dashboard", "--admin-socket", socket],
            environment: Self.withoutDesktop,
            directory: scenario.directory.url
        )
        try Self.waitFor(dashboard) { $0.stdout.contains("\n") }
        let url = dashboard.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let match = try #require(url.wholeMatch(of: /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})/))
        let origin = "http://127.0.0.1:\(match.1)"
        #expect(!dashboard.stderr.contains(String(match.2)))

        let exchange = try Self.curl(url)
        #expect(exchange.status == 303)
        #expect(exchange.field("location") == "/")
        #expect(exchange.field("content-security-policy")?.hasPrefix("default-src 'self'") == true)
        let session = try #require(exchange.cookie("hookgate_session"))
        let csrf = try #require(exchange.cookie("hookgate_csrf"))
        let cookie = ["-H", "Cookie: hookgate_session=\(session); hookgate_csrf=\(csrf)"]

        var deliveries: [JSONValue] = []
        let deadline = Date().addingTimeInterval(20)
        repeat {
            let listed = try Self.curl("\(origin)/deliveries", cookie)
            #expect(listed.status == 200)
            #expect(listed.field("x-frame-options") == "DENY")
            if case .array(let list)? = listed.json?["deliveries"] { deliveries = list }
            if deliveries.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        } while deliveries.isEmpty && Date() < deadline
        guard case .integer(let id)? = deliveries.first?["id"] else {
            Issue.record("no delivery listed through the proxy")
            return
        }

        // The URL works once; without the cookie nothing passes.
        #expect(try Self.curl(url).status == 401)
        let anonymous = try Self.curl("\(origin)/deliveries")
        #expect(anonymous.status == 401)
        #expect(anonymous.json?["error"] == .string("unauthorized"))
        #expect(!anonymous.body.contains(String(match.2)))

        // A state change needs the CSRF token and the page's origin.
        let replay = ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", #"{"ids":[\#(id)]}"#]
        let withoutCSRF = try Self.curl("\(origin)/replay", cookie + replay + ["-H", "Origin: \(origin)"])
        #expect(withoutCSRF.status == 403)
        #expect(withoutCSRF.json?["error"] == .string("csrf_rejected"))
        let crossSite = try Self.curl(
            "\(origin)/replay",
            cookie + replay + ["-H", "Origin: http://evil.example", "-H", "X-CSRF-Token: \(csrf)"]
        )
        #expect(crossSite.status == 403)
        let replayed = try Self.curl(
            "\(origin)/replay",
            cookie + replay + ["-H", "Origin: \(origin)", "-H", "X-CSRF-Token: \(csrf)"]
        )
        #expect(replayed.status == 200, "\(replayed.body)")
        #expect(replayed.json?["requeued"] == .array([.integer(id)]))

        // The gateway gone, the proxy answers 502 and keeps running.
        try scenario.killGateway()
        let unreachable = try Self.curl("\(origin)/deliveries", cookie)
        #expect(unreachable.status == 502)
        #expect(unreachable.json?["error"] == .string("admin_unreachable"))
        #expect(dashboard.isRunning)

        dashboard.send(SIGTERM)
        #expect(try dashboard.waitForExit() == 0)
    }

    @Test func refusesARemoteAddressAndAMissingSocket() throws {
        let remote = try HookgateProcess.run(["dashboard", "--listen", "0.0.0.0:0", "--no-open"])
        #expect(remote.status == 2)
        #expect(remote.stderr.contains("--listen: 0.0.0.0 is not a loopback address"))
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("admin.sock").path
        let absent = try HookgateProcess.run(["dashboard", "--admin-socket", missing, "--no-open"])
        #expect(absent.status == 1)
        #expect(absent.stderr.contains("there is no admin socket at '\(missing)'"))
        #expect(absent.stdout.isEmpty)
        // A file that is not a listening socket: it does not answer.
        let notASocket = try directory.write("not.sock", [])
        let refused = try HookgateProcess.run(["dashboard", "--admin-socket", notASocket, "--no-open"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the admin socket '\(notASocket)' does not answer"))
        // From the configuration: a TCP admin listener has no socket to proxy.
        let config = try directory.write(
            "hookgate.json",
            Array(#"{"endpoints": [], "admin": {"listen": "127.0.0.1:9444"}}"#.utf8)
        )
        let tcp = try HookgateProcess.run(["dashboard", "--config", config, "--no-open"])
        #expect(tcp.status == 1)
        #expect(tcp.stderr.contains("$.admin.listen: the admin listener is TCP (127.0.0.1:9444), not a Unix socket"))
    }

    /// `serve` with `HOOKGATE_ADMIN_HTTP_LISTEN`: the token from `HOOKGATE_ADMIN_TOKEN` (never printed), Bearer
    /// and the exchange; in development mode without a token, one printed once.
    @Test func serveListensForBrowsersBehindTheToken() throws {
        let token = "serve-token-0123456789abcdef"
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "hookgate.json",
            Array(DeliveryScenario.configuration(timeoutMilliseconds: 2000).utf8)
        )
        let environment = [
            "STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret,
            "HOOKGATE_DATA_DIR": directory.url.appendingPathComponent("data").path,
            "HOOKGATE_ADMIN_HTTP_LISTEN": "127.0.0.1:0",
        ]
        let gateway = try GatewayProcess(
            directory: directory.url,
            arguments: ["--config", config],
            environment: environment.merging(["HOOKGATE_ADMIN_TOKEN": token]) { $1 }
        )
        let origin = try Self.httpAdminOrigin(gateway)
        #expect(try Self.curl("\(origin)/deliveries").status == 401)
        let bearer = try Self.curl("\(origin)/deliveries", ["-H", "Authorization: Bearer \(token)"])
        #expect(bearer.status == 200)
        #expect(bearer.json?["deliveries"] != nil)
        let exchange = try Self.curl("\(origin)/?token=\(token)")
        #expect(exchange.status == 303)
        let session = try #require(exchange.cookie("hookgate_session"))
        #expect(try Self.curl("\(origin)/healthz", ["-H", "Cookie: hookgate_session=\(session)"]).status == 200)
        // The permanent token works again (only hookgate dashboard's is single-use).
        #expect(try Self.curl("\(origin)/?token=\(token)").status == 303)
        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)
        #expect(!(gateway.stdout + gateway.stderr).contains(token))

        // Development mode without a token: one is generated and printed once, on standard error.
        let generated = try GatewayProcess(
            directory: directory.url,
            arguments: ["--config", config],
            environment: environment
        )
        let printed = try #require(generated.stderr.firstMatch(of: /\/\?token=([0-9a-f]{64})/))
        #expect(generated.stderr.components(separatedBy: "/?token=").count == 2)
        let generatedOrigin = try Self.httpAdminOrigin(generated)
        #expect(try Self.curl("\(generatedOrigin)/?token=\(printed.1)").status == 303)
        generated.send(SIGTERM)
        #expect(try generated.waitForExit() == 0)
        #expect(!generated.stdout.contains(String(printed.1)))
    }

    /// On a desktop the browser (here a stand-in `xdg-open` first on the PATH) gets a private redirect file, not
    /// the URL: no command line holds the token. `--no-open`, or no desktop, starts nothing.
    @Test func opensABrowserWithoutTheTokenOnACommandLine() throws {
        let scenario = try DeliveryScenario()
        let socket = scenario.directory.url.appendingPathComponent("data/admin.sock").path
        let bin = scenario.directory.url.appendingPathComponent("bin")
        let record = scenario.directory.url.appendingPathComponent("opened").path
        let script = try scenario.directory.write(
            "bin/xdg-open",
            Array(
                "#!/bin/sh\n{ echo \"args: $*\"; stat -c %a \"$1\"; cat \"$1\"; } > \(record).tmp; mv \(record).tmp \(record)\n"
                    .utf8
            )
        )
        chmod(script, 0o755)
        func start(_ arguments: [String], display: Bool) throws -> ChildProcess {
            var environment = Self.withoutDesktop
            environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            if display { environment["DISPLAY"] = ":99" }
            return try ChildProcess(
                executable: HookgateProcess.executable,
                arguments: ["dashboard", "--admin-socket", socket] + arguments,
                environment: environment,
                directory: scenario.directory.url
            )
        }
        for (arguments, display) in [(["--no-open"], true), ([], false)] {
            let quiet = try start(arguments, display: display)
            try Self.waitFor(quiet) { $0.stdout.contains("\n") }
            quiet.send(SIGTERM)
            #expect(try quiet.waitForExit() == 0)
            #expect(!FileManager.default.fileExists(atPath: record))
        }
        let opening = try start([], display: true)
        try Self.waitFor(opening) { _ in FileManager.default.fileExists(atPath: record) }
        let url = opening.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let token = try #require(url.firstMatch(of: /token=([0-9a-f]{64})/)?.1)
        let opened = try String(contentsOfFile: record, encoding: .utf8)
        let lines = opened.split(separator: "\n")
        #expect(lines.first?.hasPrefix("args: /") == true)
        #expect(lines.first?.hasSuffix("/open.html") == true)
        #expect(!lines[0].contains(token))
        #expect(lines.dropFirst().first == "600")
        #expect(opened.contains(#"<meta http-equiv="refresh" content="0;url=\#(url)">"#))
        let file = String(lines[0].dropFirst("args: ".count))
        opening.send(SIGTERM)
        #expect(try opening.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    /// `check-config` shows the HTTP listener's settings and where its token comes from, never the token.
    @Test func checkConfigNeverPrintsTheToken() throws {
        let token = "check-config-token-0123456789"
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("admin-token", Array("\(token)-from-file\n".utf8))
        let config = try directory.write(
            "hookgate.json",
            Array(
                """
                {"endpoints": [{"name": "s", "path": "/s", "scheme": "stripe", "secrets": [{"label": "k", "value": "whsec_x"}]}],
                 "admin": {"http_listen": "127.0.0.1:9090", "token_file": "\(tokenFile)"}}
                """.utf8
            )
        )
        for environment in [[:], ["HOOKGATE_ADMIN_TOKEN": token]] {
            let result = try HookgateProcess.run(["check-config", "--config", config], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(#""http_listen": "127.0.0.1:9090""#))
            #expect(result.stdout.contains(#""token_file": "\#(tokenFile)""#))
            #expect(!result.output.contains(token))
        }
        let generated = try HookgateProcess.run(
            ["check-config", "--config", config],
            environment: ["HOOKGATE_ADMIN_HTTP_LISTEN": "127.0.0.1:9191", "HOOKGATE_ADMIN_TOKEN": ""]
        )
        #expect(generated.status == 0)
        #expect(!generated.stderr.contains("will generate a token"))
        let withoutSource = try directory.write(
            "plain.json",
            Array(
                #"{"endpoints": [{"name": "s", "path": "/s", "scheme": "stripe", "secrets": [{"label": "k", "value": "whsec_x"}]}]}"#
                    .utf8
            )
        )
        let note = try HookgateProcess.run(
            ["check-config", "--config", withoutSource],
            environment: ["HOOKGATE_ADMIN_HTTP_LISTEN": "127.0.0.1:9191"]
        )
        #expect(note.status == 0)
        #expect(
            note.stderr.contains(
                "note: HOOKGATE_ADMIN_TOKEN is not set; serve will generate a token for the HTTP admin listener at "
                    + "127.0.0.1:9191 and print it once"
            )
        )
    }

    /// `http://127.0.0.1:PORT` of the gateway's HTTP admin listener, from its `admin listening` log line.
    private static func httpAdminOrigin(_ gateway: GatewayProcess) throws -> String {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let line = gateway.stdout.split(separator: "\n").first {
                $0.contains("hookgate.admin.http") && $0.contains("admin listening")
            }
            if let line, let port = line.firstMatch(of: /server\.address=127\.0\.0\.1:(\d+)/)?.1 {
                return "http://127.0.0.1:\(port)"
            }
            usleep(20_000)
        }
        throw GatewayProcessError(message: "no HTTP admin listener:\n\(gateway.stdout)\n\(gateway.stderr)")
    }
}
