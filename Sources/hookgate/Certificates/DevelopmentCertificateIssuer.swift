import HookgateCore

/// Makes the development server certificate and key, signed by the development CA next to them, which is
/// created when missing and reused otherwise (so clients that trust it keep working after a renewal).
enum DevelopmentCertificateIssuer {
    /// The CA that signed the new certificate.
    struct Issued {
        /// Where the CA certificate (the file clients trust) and its key are.
        let authority: TLSFiles
        /// Whether the CA was made now.
        let createdAuthority: Bool
    }

    /// Writes a new certificate and key to `files`, first the CA when it is missing or `newAuthority` is set.
    /// - Throws: ``UsageError`` when a host is invalid, the existing CA is unusable, OpenSSL fails or a file
    ///   cannot be written.
    static func issue(
        to files: TLSFiles,
        hosts: [String] = DevelopmentCertificate.defaultHosts,
        validDays: Int = 365,
        newAuthority: Bool = false
    ) throws(UsageError) -> Issued {
        let authorityFiles = DevelopmentCertificateAuthority.files(besides: files.certificateChainPath)
        let certificateExists = FileOutput.exists(authorityFiles.certificateChainPath)
        let keyExists = FileOutput.exists(authorityFiles.privateKeyPath)
        if !newAuthority, certificateExists != keyExists {
            let (present, missing) =
                certificateExists
                ? (authorityFiles.certificateChainPath, authorityFiles.privateKeyPath)
                : (authorityFiles.privateKeyPath, authorityFiles.certificateChainPath)
            throw UsageError(
                "development CA: '\(present)' exists without '\(missing)'; "
                    + "make a new CA with `hookgate certs dev --new-ca`"
            )
        }
        let create = newAuthority || !certificateExists
        let authority =
            create
            ? try DevelopmentCertificateAuthority.generate(for: authorityFiles)
            : try DevelopmentCertificateAuthority.read(from: authorityFiles)
        // Issue before writing anything, so a bad host leaves no new CA behind.
        let certificate = try DevelopmentCertificate.issue(by: authority, hosts: hosts, validDays: validDays)
        if create { try authority.write() }
        try certificate.write(to: files)
        return Issued(authority: authorityFiles, createdAuthority: create)
    }
}
