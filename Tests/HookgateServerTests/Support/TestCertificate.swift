import Foundation
import HookgateCore
import HookgateTestSupport

/// A self-signed ECDSA P-256 certificate for `localhost` / `127.0.0.1`, made with the `openssl` command.
struct TestCertificate {
    let files: TLSFiles
    /// The subject's common name (distinguishes two certificates in the reload test).
    let commonName: String

    /// Generates a key and certificate into `directory`.
    static func make(in directory: URL, commonName: String = "localhost", days: Int = 2) throws -> TestCertificate {
        let key = directory.appendingPathComponent("\(commonName)-key.pem").path
        let certificate = directory.appendingPathComponent("\(commonName)-cert.pem").path
        let result = try SpawnedProcess.run(
            executable: "/usr/bin/env",
            arguments: [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", certificate, "-days", String(days), "-subj", "/CN=\(commonName)",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            environment: ProcessInfo.processInfo.environment
        )
        guard result.status == 0 else {
            throw TestFailure("openssl req failed with status \(result.status)")
        }
        return TestCertificate(
            files: TLSFiles(certificateChainPath: certificate, privateKeyPath: key),
            commonName: commonName
        )
    }
}

/// A failure of the test set-up itself.
struct TestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
