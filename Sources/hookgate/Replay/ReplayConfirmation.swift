import ArgumentParser
import Foundation
import Glibc

/// The question asked before replaying many deliveries: on a terminal it is asked, elsewhere `--yes` is needed.
enum ReplayConfirmation {
    /// More deliveries than this need a confirmation.
    static let threshold = 100

    /// Returns when replaying `count` deliveries is confirmed (or needs no confirmation).
    /// - Throws: a usage error when standard input is not a terminal; ``ExitCode`` 1 when the answer is no.
    static func confirm(count: Int, action: String) throws {
        guard count > self.threshold else { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw UsageError(
                "hookgate replay: \(count) deliveries selected (more than \(self.threshold)) and standard input is "
                    + "not a terminal to confirm: add --yes to \(action) them, or --dry-run to list them"
            )
        }
        FileHandle.standardError.write(Data("\(action) \(count) deliveries? [y/N] ".utf8))
        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
            StandardError.write("nothing replayed")
            throw ExitCode(1)
        }
    }
}
