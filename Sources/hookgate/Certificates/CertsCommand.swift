import ArgumentParser
import HookgateCore

/// `hookgate certs`: certificate helpers.
struct CertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Certificate helpers.",
        subcommands: [DevelopmentCertificateCommand.self]
    )
}

/// `hookgate certs dev`: writes a development certificate and key, signed by the local development CA.
struct DevelopmentCertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Write an ECDSA P-256 certificate for local development, signed by a local development CA.",
        discussion: """
            The CA lives next to the certificate (dev-ca.pem, and dev-ca-key.pem with mode 0600). It is created \
            when missing and reused otherwise, so clients that trust it (curl --cacert certs/dev-ca.pem, \
            hookgate send --cacert certs/dev-ca.pem) keep trusting renewed certificates. The certificate file \
            holds the chain: the certificate, then the CA. `hookgate serve` does this by itself in development \
            mode when the configured files are missing. Keys are written with mode 0600. Never use these in \
            production.
            """
    )

    @Option(help: ArgumentHelp("Where to write the certificate chain.", valueName: "PATH"))
    var certificate = "certs/dev-cert.pem"

    @Option(help: ArgumentHelp("Where to write the private key.", valueName: "PATH"))
    var privateKey = "certs/dev-key.pem"

    @Option(name: .customLong("host"), help: "A host name or IP address the certificate is valid for (repeatable).")
    var hosts: [String] = DevelopmentCertificate.defaultHosts

    @Option(help: "Days the certificate is valid (at most \(DevelopmentCertificate.maximumValidDays)).")
    var days = 365

    @Flag(help: "Replace an existing certificate and key (the CA is kept).")
    var force = false

    @Flag(help: "Make a new development CA, and a certificate signed by it; clients must trust the new CA.")
    var newCa = false

    func validate() throws {
        guard (1...DevelopmentCertificate.maximumValidDays).contains(self.days) else {
            throw ValidationError("--days must be between 1 and \(DevelopmentCertificate.maximumValidDays)")
        }
    }

    func run() throws {
        let files = TLSFiles(certificateChainPath: self.certificate, privateKeyPath: self.privateKey)
        if !self.force, !self.newCa, FileOutput.exists(self.certificate) || FileOutput.exists(self.privateKey) {
            throw UsageError("'\(self.certificate)' or '\(self.privateKey)' exists; pass --force to replace them")
        }
        let issued = try DevelopmentCertificateIssuer.issue(
            to: files,
            hosts: self.hosts,
            validDays: self.days,
            newAuthority: self.newCa
        )
        print(self.certificate)
        print(self.privateKey)
        let ca = issued.authority.certificateChainPath
        StandardError.write(
            """
            \(issued.createdAuthority ? "Created the development CA" : "Signed by the development CA") \(ca) \
            (key \(issued.authority.privateKeyPath)). Trust it in clients:
                curl --cacert \(ca) https://localhost:8443/...
                hookgate send payment_intent.succeeded --cacert \(ca)
            """
        )
    }
}
