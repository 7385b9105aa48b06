import ArgumentParser
import Glibc
import HookgateCore

/// `--secret`, `--secret-file`, `--secret-env`: the keys to verify or sign with.
///
/// Each may be repeated (a keyring, as during a rotation) and prefixed with `live:` or `test:` to say which
/// mode the secret belongs to. Keys are named by where they came from, never by their value.
struct SecretOptions: ParsableArguments {
    @Option(
        name: .customLong("secret"),
        help: ArgumentHelp(
            "A signing secret, e.g. whsec_... (visible to other local users in the process list: prefer --secret-env).",
            valueName: "[live:|test:]SECRET"
        )
    )
    var literals: [String] = []

    @Option(
        name: .customLong("secret-file"),
        help: ArgumentHelp(
            "A file holding a signing secret (one final newline is ignored).",
            valueName: "[live:|test:]PATH"
        )
    )
    var files: [String] = []

    @Option(
        name: .customLong("secret-env"),
        help: ArgumentHelp("An environment variable holding a signing secret.", valueName: "[live:|test:]NAME")
    )
    var environmentVariables: [String] = []

    /// A secret read from the options, with the mode it was tagged with.
    struct TaggedSecret {
        let secret: LabelledSecret
        let mode: SignatureDiagnosis.Mode?
    }

    /// Whether no secret option was given.
    var isEmpty: Bool { self.literals.isEmpty && self.files.isEmpty && self.environmentVariables.isEmpty }

    /// Every secret given, in the order literal, file, environment.
    /// - Throws: ``UsageError`` when none is given, a file cannot be read or a variable is unset.
    func load() throws(UsageError) -> [TaggedSecret] {
        var secrets: [TaggedSecret] = []
        for (index, option) in self.literals.enumerated() {
            let (mode, value) = Self.splitMode(option)
            let label = "--secret #\(index + 1)"
            secrets.append(
                TaggedSecret(secret: LabelledSecret(label: Self.label(label, mode), secret: Secret(value)), mode: mode)
            )
        }
        for option in self.files {
            let (mode, path) = Self.splitMode(option)
            let bytes = try InputFile.read(path, limit: InputFile.maximumSecretBytes, what: "secret file")
            let value = Self.droppingOneLineEnding(String(decoding: bytes, as: UTF8.self))
            guard !value.isEmpty else { throw UsageError("secret file '\(path)' is empty") }
            secrets.append(
                TaggedSecret(secret: LabelledSecret(label: Self.label(path, mode), secret: Secret(value)), mode: mode)
            )
        }
        for option in self.environmentVariables {
            let (mode, name) = Self.splitMode(option)
            guard let pointer = getenv(name) else { throw UsageError("environment variable \(name) is not set") }
            let value = String(cString: pointer)
            guard !value.isEmpty else { throw UsageError("environment variable \(name) is empty") }
            secrets.append(
                TaggedSecret(secret: LabelledSecret(label: Self.label(name, mode), secret: Secret(value)), mode: mode)
            )
        }
        guard !secrets.isEmpty else {
            throw UsageError("no secret given: use --secret-env NAME, --secret-file PATH or --secret VALUE")
        }
        return secrets
    }

    private static func splitMode(_ option: String) -> (SignatureDiagnosis.Mode?, String) {
        for mode in [SignatureDiagnosis.Mode.live, .test] where option.hasPrefix(mode.rawValue + ":") {
            return (mode, String(option.dropFirst(mode.rawValue.count + 1)))
        }
        return (nil, option)
    }

    private static func label(_ source: String, _ mode: SignatureDiagnosis.Mode?) -> String {
        mode.map { "\($0.rawValue):\(source)" } ?? source
    }

    private static func droppingOneLineEnding(_ text: String) -> String {
        var bytes = Array(text.utf8)
        if bytes.last == UInt8(ascii: "\n") {
            bytes.removeLast()
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
