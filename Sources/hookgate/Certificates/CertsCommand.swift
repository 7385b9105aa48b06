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

/// `hookgate certs dev`: writes a self-signed development certificate and key.
struct DevelopmentCertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Write a self-signed ECDSA P-256 certificate for local development.",
        discussion: """
            `hookgate serve` does this by itself in development mode when the configured files are missing. \
            The key is written with mode 0600. Never use this certificate in production.
            """
    )

    @Option(help: ArgumentHelp("Where to write the certificate.", valueName: "PATH"))
    var certificate = "certs/dev-cert.pem"

    @Option(help: ArgumentHelp("Where to write the private key.", valueName: "PATH"))
    var privateKey = "certs/dev-key.pem"

    @Option(name: .customLong("host"), help: "A host name or IP address the certificate is valid for (repeatable).")
    var hosts: [String] = DevelopmentCertificate.defaultHosts

    @Option(help: "Days the certificate is valid.")
    var days = 365

    @Flag(help: "Replace existing files.")
    var force = false

    func validate() throws {
        guard (1...3650).contains(self.days) else { throw ValidationError("--days must be between 1 and 3650") }
    }

    func run() throws {
        let files = TLSFiles(certificateChainPath: self.certificate, privateKeyPath: self.privateKey)
        if !self.force, FileOutput.exists(self.certificate) || FileOutput.exists(self.privateKey) {
            throw UsageError("'\(self.certificate)' or '\(self.privateKey)' exists; pass --force to replace them")
        }
        try DevelopmentCertificate.generate(hosts: self.hosts, validDays: self.days).write(to: files)
        print(self.certificate)
        print(self.privateKey)
    }
}
