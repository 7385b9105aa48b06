import HookgateCore
import Testing

/// The token-guarded HTTP admin listener's keys in `admin`: decoding, the keys it needs, and validation.
struct AdminHTTPConfigurationTests {
    private func decode(_ admin: String, listen: String = "127.0.0.1:8443") throws -> HookgateConfiguration {
        try HookgateConfiguration.decode(
            Array(ConfigurationDecodingTests.document("\"listen\": [\"\(listen)\"], \"admin\": \(admin)").utf8)
        )
    }

    private func decodingIssues(_ admin: String) -> [String] {
        ConfigurationDecodingTests().issueLines(ConfigurationDecodingTests.document("\"admin\": \(admin)"))
    }

    private func validationIssues(_ admin: String) throws -> [String] {
        try self.decode(admin).validationIssues().map(\.description)
    }

    /// Off by default; every key read; beside a socket or a TCP admin listener; printed without a token.
    @Test func decodesEveryKey() throws {
        #expect(try self.decode("{}").adminHTTP == nil)
        let full = try self.decode(
            """
            {"socket": "/run/hg.sock", "http_listen": "10.0.0.5:9090", "token_file": "/etc/hg/token",
             "allow_remote": true, "http_tls": {"certificate": "/etc/hg/cert.pem", "private_key": "/etc/hg/key.pem"}}
            """
        )
        #expect(full.admin == .unixSocket(path: "/run/hg.sock", mode: 0o600))
        #expect(
            full.adminHTTP
                == AdminHTTPConfiguration(
                    listen: ListenAddress(host: "10.0.0.5", port: 9090),
                    tokenFile: "/etc/hg/token",
                    allowRemote: true,
                    tls: TLSFiles(certificateChainPath: "/etc/hg/cert.pem", privateKeyPath: "/etc/hg/key.pem")
                )
        )
        #expect(full.validationIssues().isEmpty)
        let beside = try self.decode(
            "{\"listen\": \"127.0.0.1:9444\", \"http_listen\": \"127.0.0.1:9090\", \"token_env\": \"T\"}"
        )
        #expect(beside.admin == .tcp(ListenAddress(host: "127.0.0.1", port: 9444), allowNonLoopback: false))
        #expect(
            beside.adminHTTP
                == AdminHTTPConfiguration(
                    listen: ListenAddress(host: "127.0.0.1", port: 9090),
                    tokenEnvironmentVariable: "T"
                )
        )
        let admin = String(full.redactedJSON.serialized(indent: 0).filter { !$0.isWhitespace })
        #expect(admin.contains(#""http_listen":"10.0.0.5:9090""#))
        #expect(admin.contains(#""token_file":"/etc/hg/token""#))
        #expect(admin.contains(#""allow_remote":true"#))
        #expect(admin.contains(#""http_tls":{"certificate":"/etc/hg/cert.pem","private_key":"/etc/hg/key.pem"}"#))
    }

    /// Each bad value or combination is an issue at its path.
    @Test func badValuesAreNamed() {
        #expect(
            self.decodingIssues("{\"http_listen\": \"localhost\"}")
                == ["$.admin.http_listen: \(ListenAddress.expectedForm)"]
        )
        #expect(
            self.decodingIssues("{\"http_listen\": 9090}") == ["$.admin.http_listen: expected a string, found a number"]
        )
        #expect(
            self.decodingIssues("{\"token_env\": \"T\", \"allow_remote\": true}")
                == [
                    "$.admin.token_env: only allowed with \"http_listen\"",
                    "$.admin.allow_remote: only allowed with \"http_listen\"",
                ]
        )
        #expect(
            self.decodingIssues("{\"http_listen\": \"127.0.0.1:9090\", \"token_env\": \"T\", \"token_file\": \"/t\"}")
                == ["$.admin.token_file: give the token by token_env or token_file, not both"]
        )
        #expect(
            self.decodingIssues("{\"http_listen\": \"127.0.0.1:9090\", \"token_env\": \"\"}")
                == ["$.admin.token_env: must not be empty"]
        )
        #expect(
            self.decodingIssues("{\"http_listen\": \"127.0.0.1:9090\", \"allow_remote\": \"yes\"}")
                == ["$.admin.allow_remote: expected true or false, found a string"]
        )
        #expect(
            self.decodingIssues("{\"http_listen\": \"127.0.0.1:9090\", \"http_tls\": {\"certificate\": \"/c\"}}")
                == ["$.admin.http_tls.private_key: required key is missing"]
        )
        #expect(
            self.decodingIssues("{\"disabled\": true, \"http_listen\": \"127.0.0.1:9090\"}")
                == ["$.admin.http_listen: not allowed with \"disabled\": true"]
        )
        #expect(
            self.decodingIssues("{\"http_lisen\": \"127.0.0.1:9090\"}").first?.hasPrefix(
                "$.admin.http_lisen: unknown key (did you mean \"http_listen\"?"
            ) == true
        )
    }

    /// A non-loopback address needs allow_remote and TLS; the port is its own.
    @Test func validation() throws {
        #expect(
            try self.validationIssues("{\"http_listen\": \"0.0.0.0:9090\"}")
                == [
                    "$.admin.http_listen: 0.0.0.0 is not a loopback address; set \"allow_remote\": true and "
                        + "\"http_tls\" to expose the dashboard, or reach it through ssh -L or hookgate dashboard"
                ]
        )
        #expect(
            try self.validationIssues("{\"http_listen\": \"0.0.0.0:9090\", \"allow_remote\": true}")
                == [
                    "$.admin.http_tls: required when http_listen is not a loopback address: the token and session "
                        + "cookie must not cross the network in clear text"
                ]
        )
        #expect(try self.validationIssues("{\"http_listen\": \"[::1]:9090\"}").isEmpty)
        #expect(try self.validationIssues("{\"http_listen\": \"localhost:9090\"}").isEmpty)
        #expect(
            try self.validationIssues("{\"http_listen\": \"127.0.0.1:8443\"}")
                == ["$.admin.http_listen: port 8443 is also a webhook listener"]
        )
        #expect(
            try self.validationIssues("{\"listen\": \"127.0.0.1:9090\", \"http_listen\": \"127.0.0.1:9090\"}")
                == ["$.admin.http_listen: port 9090 is also the admin listener's (admin.listen)"]
        )
        #expect(try self.decode("{\"http_listen\": \"127.0.0.1:0\"}", listen: "127.0.0.1:0").validationIssues().isEmpty)
    }
}
