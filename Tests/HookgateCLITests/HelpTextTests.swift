import HookgateTestSupport
import Testing

/// What `hookgate --help` and a command's `--help` say about exit codes, from the real binary: the top level
/// only what holds for every command, a command what its codes mean for it.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct HelpTextTests {
    /// The help of `hookgate <arguments>`, its line wrapping undone.
    func help(_ arguments: [String]) throws -> String {
        let result = try HookgateProcess.run(arguments + ["--help"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func topLevelExitCodesHoldForEveryCommandAndVerifyKeepsItsOwn() throws {
        let top = try self.help([])
        #expect(
            top.contains(
                "Exit codes: 0 success, 1 failure (said on standard error), 2 usage error (bad option, unreadable "
                    + "file, unset variable). A command that gives them a narrower meaning says so in its --help, "
                    + "e.g. hookgate verify --help."
            ),
            "\(top)"
        )
        #expect(!top.contains("signature valid") && !top.contains("signature invalid"), "\(top)")
        let verify = try self.help(["verify"])
        #expect(
            verify.contains("Exits 0 when the signature is valid (printing which key matched), 1 when it is not"),
            "\(verify)"
        )
    }
}
