import Foundation
import Testing

@Suite(.timeLimit(.minutes(1)))
struct CertsCommandTests {
    /// Runs the `openssl` command line on the generated files (an independent reader of what OpenSSL wrote).
    func openssl(_ arguments: [String]) throws -> String {
        try runTool("openssl", arguments).output
    }

    @Test func writesAnECDSACertificateForLocalhostAndAPrivateKey() throws {
        let directory = try TemporaryDirectory()
        let certificate = directory.url.appendingPathComponent("certs/dev-cert.pem").path
        let key = directory.url.appendingPathComponent("certs/dev-key.pem").path
        let result = try HookgateProcess.run(["certs", "dev", "--certificate", certificate, "--private-key", key])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(certificate)\n\(key)\n")

        let keyMode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        let text = try self.openssl(["x509", "-in", certificate, "-noout", "-text"])
        #expect(text.contains("ASN1 OID: prime256v1"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("TLS Web Server Authentication"))
        #expect(
            try self.openssl(["x509", "-in", certificate, "-noout", "-checkhost", "localhost"]).contains("does match")
        )
        #expect(
            try self.openssl(["x509", "-in", certificate, "-noout", "-checkip", "127.0.0.1"]).contains("does match")
        )
        #expect(
            try self.openssl(["x509", "-in", certificate, "-noout", "-checkhost", "example.com"]).contains("NOT match")
        )
        // The key belongs to the certificate.
        let fromCertificate = try self.openssl(["x509", "-in", certificate, "-noout", "-pubkey"])
        let fromKey = try self.openssl(["pkey", "-in", key, "-pubout"])
        #expect(fromCertificate == fromKey)
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let directory = try TemporaryDirectory()
        let certificate = try directory.write("cert.pem", Array("keep me".utf8))
        let key = directory.url.appendingPathComponent("key.pem").path
        let refused = try HookgateProcess.run(["certs", "dev", "--certificate", certificate, "--private-key", key])
        #expect(refused.status == 2)
        #expect(try String(contentsOfFile: certificate, encoding: .utf8) == "keep me")
        let forced = try HookgateProcess.run([
            "certs", "dev", "--force", "--certificate", certificate, "--private-key", key,
        ])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: certificate, encoding: .utf8).hasPrefix("-----BEGIN CERTIFICATE-----"))
    }
}
