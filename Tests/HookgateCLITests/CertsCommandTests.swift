import Foundation
import Glibc
import HookgateTestSupport
import Testing

@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct CertsCommandTests {
    /// The files `certs dev` writes into `<directory>/certs`.
    struct DevelopmentFiles {
        let certificate: String
        let key: String
        let ca: String
        let caKey: String

        init(_ directory: TemporaryDirectory) {
            let certs = directory.url.appendingPathComponent("certs")
            self.certificate = certs.appendingPathComponent("dev-cert.pem").path
            self.key = certs.appendingPathComponent("dev-key.pem").path
            self.ca = certs.appendingPathComponent("dev-ca.pem").path
            self.caKey = certs.appendingPathComponent("dev-ca-key.pem").path
        }
    }

    /// Runs the `openssl` command line on the generated files (an independent reader of what OpenSSL wrote).
    func openssl(_ arguments: [String]) throws -> String {
        try runTool("openssl", arguments).output
    }

    /// Runs `hookgate certs dev` writing `files`, with `arguments` added.
    func certsDev(_ files: DevelopmentFiles, _ arguments: [String] = []) throws -> HookgateProcess.Result {
        try HookgateProcess.run(
            ["certs", "dev", "--certificate", files.certificate, "--private-key", files.key] + arguments
        )
    }

    func fingerprint(_ certificate: String) throws -> String {
        try self.openssl(["x509", "-in", certificate, "-noout", "-fingerprint", "-sha256"])
    }

    func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    /// `openssl verify -CAfile ca certificate` (the first certificate of the file).
    func verify(_ certificate: String, with ca: String) throws -> HookgateProcess.Result {
        try runTool("openssl", ["verify", "-CAfile", ca, certificate])
    }

    @Test func writesAnECDSACertificateForLocalhostAndAPrivateKey() throws {
        let directory = try TemporaryDirectory()
        let files = DevelopmentFiles(directory)
        let result = try self.certsDev(files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(files.certificate)\n\(files.key)\n")

        #expect(try self.mode(files.key) == 0o600)
        let text = try self.openssl(["x509", "-in", files.certificate, "-noout", "-text"])
        #expect(text.contains("ASN1 OID: prime256v1"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("Digital Signature"))
        #expect(!text.contains("Certificate Sign"))
        #expect(text.contains("TLS Web Server Authentication"))
        #expect(text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"), "\(text)")
        #expect(text.contains("Subject: O = Hookgate development, CN = localhost"), "\(text)")
        for (check, value) in [("-checkhost", "localhost"), ("-checkip", "127.0.0.1"), ("-checkip", "::1")] {
            #expect(
                try self.openssl(["x509", "-in", files.certificate, "-noout", check, value]).contains("does match")
            )
        }
        #expect(
            try self.openssl(["x509", "-in", files.certificate, "-noout", "-checkhost", "example.com"])
                .contains("NOT match")
        )
        // The key belongs to the certificate.
        let fromCertificate = try self.openssl(["x509", "-in", files.certificate, "-noout", "-pubkey"])
        let fromKey = try self.openssl(["pkey", "-in", files.key, "-pubout"])
        #expect(fromCertificate == fromKey)
    }

    /// The certificate is signed by a local CA next to it; the certificate file is the chain, leaf first.
    @Test func signsTheCertificateWithALocalDevelopmentCA() throws {
        let directory = try TemporaryDirectory()
        let files = DevelopmentFiles(directory)
        let result = try self.certsDev(files, ["--host", "gateway.test", "--host", "10.1.2.3", "--days", "30"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Created the development CA \(files.ca) (key \(files.caKey))"))
        #expect(result.stderr.contains("curl --cacert \(files.ca) "), "\(result.stderr)")
        #expect(result.stderr.contains("hookgate send payment_intent.succeeded --cacert \(files.ca)"))

        let verified = try self.verify(files.certificate, with: files.ca)
        #expect(verified.status == 0 && verified.stdout.hasSuffix(": OK\n"), "\(verified.output)")
        #expect(try self.mode(files.caKey) == 0o600)
        #expect(try self.mode(files.key) == 0o600)

        let ca = try self.openssl(["x509", "-in", files.ca, "-noout", "-text"])
        #expect(ca.contains("CA:TRUE, pathlen:0"), "\(ca)")
        #expect(ca.contains("X509v3 Basic Constraints: critical"))
        #expect(ca.contains("Certificate Sign, CRL Sign"))
        #expect(ca.contains("ASN1 OID: prime256v1"))
        #expect(ca.contains("Subject: O = Hookgate development, CN = Hookgate development CA ("), "\(ca)")
        let caPublicKey = try self.openssl(["x509", "-in", files.ca, "-noout", "-pubkey"])
        #expect(caPublicKey == (try self.openssl(["pkey", "-in", files.caKey, "-pubout"])))
        // About ten years for the CA, 30 days for the certificate.
        #expect(
            try runTool("openssl", ["x509", "-in", files.ca, "-noout", "-checkend", "\(3640 * 86400)"]).status == 0
        )
        let leaf = try self.openssl(["x509", "-in", files.certificate, "-noout", "-text"])
        #expect(try runTool("openssl", ["x509", "-in", files.certificate, "-checkend", "\(29 * 86400)"]).status == 0)
        #expect(try runTool("openssl", ["x509", "-in", files.certificate, "-checkend", "\(31 * 86400)"]).status == 1)
        #expect(leaf.contains("DNS:gateway.test, IP Address:10.1.2.3"), "\(leaf)")
        #expect(leaf.contains("Issuer: O = Hookgate development, CN = Hookgate development CA ("))

        // The certificate's authority key identifier is the CA's subject key identifier.
        let caKeyID = try #require(self.keyIdentifier("Subject Key Identifier", in: ca))
        #expect(self.keyIdentifier("Authority Key Identifier", in: leaf) == caKeyID)
        #expect(self.keyIdentifier("Subject Key Identifier", in: leaf) != nil)

        // The chain: the certificate, then the CA.
        let chain = try String(contentsOfFile: files.certificate, encoding: .utf8)
        let caText = try String(contentsOfFile: files.ca, encoding: .utf8)
        #expect(chain.components(separatedBy: "-----BEGIN CERTIFICATE-----").count == 3)
        #expect(chain.hasSuffix(caText))
    }

    /// The hex of the key identifier extension named `name` in `openssl x509 -text` output.
    func keyIdentifier(_ name: String, in text: String) -> String? {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let index = lines.firstIndex(where: { $0.hasPrefix("X509v3 \(name)") }), index + 1 < lines.count else {
            return nil
        }
        return lines[index + 1].replacingOccurrences(of: "keyid:", with: "")
    }

    /// A second run reuses the CA, so clients that trust it keep working; --new-ca replaces it.
    @Test func reusesTheCAWhenRenewingAndReplacesItWithNewCA() throws {
        let directory = try TemporaryDirectory()
        let files = DevelopmentFiles(directory)
        #expect(try self.certsDev(files).status == 0)
        let firstCA = try self.fingerprint(files.ca)
        let firstCertificate = try self.fingerprint(files.certificate)

        let renewed = try self.certsDev(files, ["--force"])
        #expect(renewed.status == 0, "\(renewed.stderr)")
        #expect(renewed.stderr.contains("Signed by the development CA \(files.ca)"), "\(renewed.stderr)")
        #expect(try self.fingerprint(files.ca) == firstCA)
        #expect(try self.fingerprint(files.certificate) != firstCertificate)
        #expect(try self.verify(files.certificate, with: files.ca).status == 0)

        let oldCA = try directory.write("old-ca.pem", Array(try Data(contentsOf: URL(fileURLWithPath: files.ca))))
        let replaced = try self.certsDev(files, ["--new-ca"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stderr.contains("Created the development CA"))
        #expect(try self.fingerprint(files.ca) != firstCA)
        #expect(try self.mode(files.caKey) == 0o600)
        #expect(try self.verify(files.certificate, with: files.ca).status == 0)
        #expect(try self.verify(files.certificate, with: oldCA).status != 0)
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let directory = try TemporaryDirectory()
        let certificate = try directory.write("cert.pem", Array("keep me".utf8))
        let key = directory.url.appendingPathComponent("key.pem").path
        let refused = try HookgateProcess.run(["certs", "dev", "--certificate", certificate, "--private-key", key])
        #expect(refused.status == 2)
        #expect(try String(contentsOfFile: certificate, encoding: .utf8) == "keep me")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("dev-ca.pem").path))
        let forced = try HookgateProcess.run([
            "certs", "dev", "--force", "--certificate", certificate, "--private-key", key,
        ])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: certificate, encoding: .utf8).hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("dev-ca.pem").path))
    }

    /// A CA file without its key, a key of another certificate, or a certificate that is no CA: exit 2, a
    /// message naming the files and --new-ca, and nothing written.
    @Test func refusesAnUnusableCA() throws {
        let source = try TemporaryDirectory()
        let made = DevelopmentFiles(source)
        #expect(try self.certsDev(made).status == 0)
        let bytes = { (path: String) in Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

        let cases: [(ca: String?, caKey: String?, message: String)] = [
            (made.ca, nil, "exists without"),
            (made.ca, made.key, "the key does not belong to the certificate"),
            (made.certificate, made.key, "may not sign certificates"),
            (made.key, made.caKey, "no PEM certificate and private key"),
        ]
        for (ca, caKey, message) in cases {
            let directory = try TemporaryDirectory()
            let files = DevelopmentFiles(directory)
            if let ca { _ = try directory.write("certs/dev-ca.pem", try bytes(ca)) }
            if let caKey { _ = try directory.write("certs/dev-ca-key.pem", try bytes(caKey)) }
            let refused = try self.certsDev(files)
            #expect(refused.status == 2, "\(message)")
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
            #expect(refused.stderr.contains("--new-ca"))
            #expect(!FileManager.default.fileExists(atPath: files.certificate))

            let replaced = try self.certsDev(files, ["--new-ca"])
            #expect(replaced.status == 0, "\(replaced.stderr)")
            #expect(try self.verify(files.certificate, with: files.ca).status == 0)
        }
    }

    @Test func rejectsBadValidityAndHosts() throws {
        let directory = try TemporaryDirectory()
        let files = DevelopmentFiles(directory)
        let tooLong = try self.certsDev(files, ["--days", "826"])
        #expect(tooLong.status == 2)
        #expect(tooLong.stderr.contains("--days must be between 1 and 825"), "\(tooLong.stderr)")
        let badHost = try self.certsDev(files, ["--host", "a,b"])
        #expect(badHost.status == 2)
        #expect(badHost.stderr.contains("without commas"), "\(badHost.stderr)")
        // Nothing was written, not even a CA.
        #expect(!FileManager.default.fileExists(atPath: files.ca))
        #expect(!FileManager.default.fileExists(atPath: files.certificate))
    }

    /// A real TLS check: `serve` presents the chain, and `hookgate send` (BoringSSL) and curl (OpenSSL) trust
    /// it through the CA file alone.
    @Test func serveIsTrustedThroughTheCA() throws {
        let directory = try ServeCommandTests().freshCheckout()
        let files = DevelopmentFiles(directory)
        #expect(try self.certsDev(files).status == 0)
        let secret = "whsec_hookgateCertsCommandTests001"
        let gateway = try GatewayProcess(directory: directory.url, environment: ["STRIPE_WEBHOOK_SECRET": secret])
        let url = "https://127.0.0.1:\(gateway.port)/webhooks/stripe"

        let sent = try HookgateProcess.run(
            ["send", "payment_intent.succeeded", "--cacert", files.ca, "--url", url],
            environment: ["STRIPE_WEBHOOK_SECRET": secret]
        )
        #expect(sent.status == 0, "\(sent.output)")
        #expect(sent.stdout.hasPrefix("200 {\"id\":\"evt_"), "\(sent.output)")

        let curl = try runTool("curl", ["-sS", "--max-time", "10", "--cacert", files.ca, "-o", "/dev/null", url])
        #expect(curl.status == 0, "\(curl.output)")

        let handshake = try runTool(
            "openssl",
            ["s_client", "-connect", "127.0.0.1:\(gateway.port)", "-showcerts", "-CAfile", files.ca],
            stdin: []
        )
        #expect(handshake.stdout.components(separatedBy: "-----BEGIN CERTIFICATE-----").count == 3)
        #expect(handshake.stdout.contains("Verify return code: 0 (ok)"), "\(handshake.output)")
        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)
    }
}
