import ArgumentParser
import AsyncHTTPClient
import NIOCore
import NIOSSL

/// `--cacert` and `--insecure`: how an HTTPS client trusts the server's certificate.
struct HTTPSClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Trust this CA certificate (PEM) for the server's certificate.", valueName: "FILE"))
    var cacert: String?

    @Flag(help: "Do not check the server's certificate (development only).")
    var insecure = false

    func validate() throws {
        if self.insecure, self.cacert != nil { throw ValidationError("give --cacert or --insecure, not both") }
    }

    /// An HTTP/1.1 client configuration trusting as the options say, with up to `connections` kept-alive
    /// connections per host; a refused connection or an untrusted certificate fails at once.
    /// - Throws: ``UsageError`` when the CA certificate cannot be read.
    func configuration(connections: Int) throws(UsageError) -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if self.insecure {
            tls.certificateVerification = .none
        } else if let cacert {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(cacert))
            } catch {
                throw UsageError("cannot read the CA certificate '\(cacert)': \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            timeout: .init(connect: .seconds(10)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        )
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }
}
