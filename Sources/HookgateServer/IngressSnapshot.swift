import Foundation
import HookgateCore
import NIOSSL

/// Everything one connection runs with, fixed when it is accepted: a reload builds a new snapshot, and open
/// connections keep theirs.
final class IngressSnapshot: Sendable {
    /// The settings it was built from.
    let settings: GatewaySettings
    /// The TLS context made from `settings.tls`.
    let sslContext: NIOSSLContext
    /// When the leaf certificate expires.
    let certificateNotValidAfter: Date

    /// Builds the TLS context and checks the endpoints.
    /// - Throws: ``IngressConfigurationError`` or an error from NIOSSL when the certificate or key cannot be
    ///   loaded.
    init(settings: GatewaySettings) throws {
        var seenPaths = Set<String>()
        for endpoint in settings.endpoints {
            guard endpoint.path.hasPrefix("/") else {
                throw IngressConfigurationError("endpoint \(endpoint.name): the path must start with /")
            }
            guard seenPaths.insert(endpoint.path).inserted else {
                throw IngressConfigurationError("endpoint \(endpoint.name): the path \(endpoint.path) is used twice")
            }
            guard endpoint.keyring.schemeName == endpoint.scheme.name else {
                throw IngressConfigurationError("endpoint \(endpoint.name): the keyring is for another scheme")
            }
        }
        guard !settings.listen.isEmpty else { throw IngressConfigurationError("no listen address") }
        let (context, notAfter) = try TLSContextFactory.makeContext(files: settings.tls)
        self.settings = settings
        self.sslContext = context
        self.certificateNotValidAfter = notAfter
    }
}

/// Settings the ingress cannot run with.
public struct IngressConfigurationError: Error, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
