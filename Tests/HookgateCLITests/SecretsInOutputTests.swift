import Foundation
import HookgateTestSupport
import Testing

/// The suite-wide check of child processes' output: a child that prints a secret it was given fails the test
/// that started it.
@Suite(.onItsOwnThread)
struct SecretsInOutputTests {
    @Test(arguments: [
        ["-c", "echo \"signing with $STRIPE_WEBHOOK_SECRET\""],
        ["-c", "echo \"key ${STRIPE_WEBHOOK_SECRET#whsec_}\" >&2"],
        ["-c", "echo \"$2\"", "sh", "--secret", "whsec_given_on_the_command_line"],
    ])
    func aChildPrintingASecretItWasGivenIsCaught(_ arguments: [String]) throws {
        withKnownIssue("the check records the secret it finds") {
            _ = try HookgateProcess.run(
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: arguments,
                environment: ["STRIPE_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
            )
        }
    }

    /// What is not a secret given to the child is not reported: a short value, a word after the prefix.
    @Test func otherOutputIsNotReported() throws {
        let result = try HookgateProcess.run(
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", "echo production mode; echo whsec_"],
            environment: ["HG_SECRET": "whsec_production", "SHORT_SECRET": "abc"]
        )
        #expect(result.stdout == "production mode\nwhsec_\n")
    }
}
