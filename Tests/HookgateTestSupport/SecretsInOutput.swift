public import Testing

/// The check that no secret a test gives a child process comes back in what the child prints or logs.
///
/// Every child the tests start through ``SpawnedProcess`` (and the CLI tests' long-running children) is
/// checked when it ends: the values of its environment variables whose name contains `SECRET`, the values
/// after `--secret` and `--verify-secret`, and for a `whsec_` secret also its key after the prefix (when that
/// is 16 characters or more), must not appear in its standard output or error. A secret shorter than 8
/// characters is not looked for (it would match by chance).
public enum SecretsInOutput {
    /// The secrets `arguments` and `environment` give a child.
    public static func given(arguments: [String], environment: [String: String]) -> Set<String> {
        var secrets: Set<String> = []
        for (name, value) in environment where name.uppercased().contains("SECRET") {
            secrets.insert(value)
        }
        for (option, value) in zip(arguments, arguments.dropFirst())
        where option == "--secret" || option == "--verify-secret" {
            secrets.insert(value)
        }
        secrets = secrets.filter { $0.utf8.count >= 8 }
        // The key after the prefix, where it is long enough not to be a word ("whsec_production").
        for secret in secrets where secret.hasPrefix("whsec_") && secret.utf8.count >= "whsec_".count + 16 {
            secrets.insert(String(secret.dropFirst("whsec_".count)))
        }
        return secrets
    }

    /// Records an issue for each of `secrets` that `output` holds.
    public static func check(
        _ output: String,
        of command: String,
        against secrets: Set<String>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for secret in secrets where output.contains(secret) {
            Issue.record(
                "a secret (\(secret.utf8.count) characters, given to it) appears in the output of \(command)",
                sourceLocation: sourceLocation
            )
        }
    }
}
