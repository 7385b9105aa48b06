import NIOConcurrencyHelpers

/// The configuration the admin API answers from (endpoints, key labels and expiries, the secrets that
/// re-verify stored deliveries): the one in force, replaced when a reload succeeds. Secrets never leave the
/// process through it: the routes answer labels, expiries and verification results only.
final class AdminAPIConfiguration: Sendable {
    private let current: NIOLockedValueBox<LoadedConfiguration>

    /// Starts with the configuration `serve` started with.
    init(_ loaded: LoadedConfiguration) {
        self.current = NIOLockedValueBox(loaded)
    }

    /// The configuration in force.
    var value: LoadedConfiguration {
        self.current.withLockedValue { $0 }
    }

    /// Puts a reloaded configuration in force.
    func replace(with loaded: LoadedConfiguration) {
        self.current.withLockedValue { $0 = loaded }
    }
}
