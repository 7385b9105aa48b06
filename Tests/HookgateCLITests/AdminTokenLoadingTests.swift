import HookgateCore
import Testing

@testable import hookgate

/// The HTTP admin listener as the loader resolves it: `HOOKGATE_ADMIN_HTTP_LISTEN`, and the token's sources in
/// their order, with an error for each bad one that never quotes the token.
@Suite(.timeLimit(.minutes(1)))
struct AdminTokenLoadingTests {
    private static let endpoint = """
        "endpoints": [{"name": "a", "path": "/a", "scheme": "stripe", "secrets": [{"label": "x", "env": "A_SECRET"}]}]
        """
    private static let goodToken = "tok-0123456789abcdef_GOOD.~"

    /// Loads a configuration with `admin`; in production mode with readable (dummy) certificate files.
    private func load(
        admin: String = "{}",
        mode: String = "development",
        environment: [String: String] = [:]
    ) throws -> LoadedConfiguration {
        let directory = try TemporaryDirectory()
        let certificate = try directory.write("cert.pem", Array("cert".utf8))
        let key = try directory.write("key.pem", Array("key".utf8))
        let tls = "\"tls\": {\"certificate\": \"\(certificate)\", \"private_key\": \"\(key)\"}"
        let path = try directory.write(
            "hookgate.json",
            Array("{\"mode\": \"\(mode)\", \(tls), \(Self.endpoint), \"admin\": \(admin)}".utf8)
        )
        var loader = ConfigurationLoader()
        loader.generateAdminToken = { Secret("generated-token-0123456789") }
        return try loader.load(
            configPath: path,
            environment: environment.merging(["A_SECRET": "whsec_a"]) { first, _ in first }
        )
    }

    private func issues(admin: String, mode: String = "development", environment: [String: String] = [:]) -> [String] {
        do {
            _ = try self.load(admin: admin, mode: mode, environment: environment)
            Issue.record("loaded: \(admin)")
            return []
        } catch {
            return (error as? ConfigurationError)?.issues.map(\.description) ?? ["\(error)"]
        }
    }

    @Test func offByDefaultAndKeepsTheSocket() throws {
        let loaded = try self.load(environment: ["HOOKGATE_DATA_DIR": "/srv/hg"])
        #expect(loaded.adminHTTP == nil)
        #expect(loaded.settings.admin == .unixSocket(path: "/srv/hg/admin.sock", mode: 0o600))
    }

    /// `HOOKGATE_ADMIN_TOKEN` wins over `token_env` and `token_file`; then the variable, then the file.
    @Test func tokenSourcesInOrder() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("token", Array("file-token-0123456789\n".utf8))
        let admin = "{\"http_listen\": \"127.0.0.1:9090\", \"token_file\": \"\(file)\"}"
        let fromFile = try #require(try self.load(admin: admin, environment: [:]).adminHTTP)
        #expect(fromFile.token.value == "file-token-0123456789")
        #expect(!fromFile.tokenIsGenerated)
        #expect(fromFile.listen == ListenAddress(host: "127.0.0.1", port: 9090))
        let overridden = try #require(
            try self.load(admin: admin, environment: ["HOOKGATE_ADMIN_TOKEN": Self.goodToken]).adminHTTP
        )
        #expect(overridden.token.value == Self.goodToken)
        let fromVariable = try #require(
            try self.load(
                admin: "{\"http_listen\": \"127.0.0.1:9090\", \"token_env\": \"DASH_TOKEN\"}",
                mode: "production",
                environment: ["DASH_TOKEN": Self.goodToken]
            ).adminHTTP
        )
        #expect(fromVariable.token.value == Self.goodToken)
    }

    /// Development mode generates a token when none is configured; production mode refuses to start.
    @Test func generatedInDevelopmentRefusedInProduction() throws {
        let generated = try #require(try self.load(admin: "{\"http_listen\": \"127.0.0.1:9090\"}").adminHTTP)
        #expect(generated.tokenIsGenerated)
        #expect(generated.token.value == "generated-token-0123456789")
        #expect(
            self.issues(admin: "{\"http_listen\": \"127.0.0.1:9090\"}", mode: "production")
                == [
                    "$.admin.token_env: http_listen needs a token in production mode: set HOOKGATE_ADMIN_TOKEN, or "
                        + "admin.token_env or admin.token_file (production mode generates none)"
                ]
        )
    }

    /// `HOOKGATE_ADMIN_HTTP_LISTEN` turns the listener on, or moves the configured one.
    @Test func environmentOverride() throws {
        let on = try #require(
            try self.load(environment: ["HOOKGATE_ADMIN_HTTP_LISTEN": "127.0.0.1:9191"]).adminHTTP
        )
        #expect(on.listen == ListenAddress(host: "127.0.0.1", port: 9191))
        let moved = try #require(
            try self.load(
                admin: "{\"http_listen\": \"127.0.0.1:9090\", \"token_env\": \"DASH_TOKEN\"}",
                environment: ["HOOKGATE_ADMIN_HTTP_LISTEN": "[::1]:9292", "DASH_TOKEN": Self.goodToken]
            ).adminHTTP
        )
        #expect(moved.listen == ListenAddress(host: "::1", port: 9292))
        #expect(moved.token.value == Self.goodToken)
        #expect(
            self.issues(admin: "{}", environment: ["HOOKGATE_ADMIN_HTTP_LISTEN": "9090"])
                == ["HOOKGATE_ADMIN_HTTP_LISTEN: \(ListenAddress.expectedForm)"]
        )
        #expect(
            self.issues(admin: "{}", environment: ["HOOKGATE_ADMIN_HTTP_LISTEN": "0.0.0.0:9090"]).first?.hasPrefix(
                "$.admin.http_listen: 0.0.0.0 is not a loopback address"
            ) == true
        )
    }

    private static let characterRule =
        "the token may only hold letters, digits and - . _ ~ (so that it needs no escaping in a URL), "
        + "e.g. from openssl rand -hex 32"

    /// An unset variable, an unreadable or empty file, a short or long token, and one with characters a URL
    /// would need to escape: each named, never quoted.
    @Test func badTokens() throws {
        let listen = "\"http_listen\": \"127.0.0.1:9090\""
        #expect(
            self.issues(admin: "{\(listen), \"token_env\": \"DASH_TOKEN\"}")
                == ["$.admin.token_env: environment variable DASH_TOKEN is not set"]
        )
        #expect(
            self.issues(admin: "{\(listen), \"token_file\": \"/nonexistent/token\"}")
                == ["$.admin.token_file: cannot read secret file '/nonexistent/token': No such file or directory"]
        )
        let directory = try TemporaryDirectory()
        let empty = try directory.write("empty", [])
        #expect(
            self.issues(admin: "{\(listen), \"token_file\": \"\(empty)\"}")
                == ["$.admin.token_file: secret file '\(empty)' is empty"]
        )
        for (token, reason) in [
            ("short-SECRET", "the token is shorter than 16 characters"),
            ("spaced SECRET 0123456789", Self.characterRule),
            ("base64+SECRET/0123456789=", Self.characterRule),
            (String(repeating: "x", count: 1025), "the token is longer than 1024 characters"),
        ] {
            let lines = self.issues(admin: "{\(listen)}", environment: ["HOOKGATE_ADMIN_TOKEN": token])
            #expect(lines == ["HOOKGATE_ADMIN_TOKEN: \(reason)"])
            #expect(!lines.joined().contains("SECRET"))
        }
    }

    /// TLS files of a listener that cannot be read are refused in every mode (there is no generated fallback).
    @Test func unreadableTLSFiles() {
        #expect(
            self.issues(
                admin: """
                    {"http_listen": "127.0.0.1:9090", "http_tls": {"certificate": "/nonexistent/c.pem", "private_key": "/nonexistent/k.pem"}}
                    """
            )
                == [
                    "$.admin.http_tls.certificate: cannot read '/nonexistent/c.pem': No such file or directory",
                    "$.admin.http_tls.private_key: cannot read '/nonexistent/k.pem': No such file or directory",
                ]
        )
    }
}
