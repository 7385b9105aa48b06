import Foundation
import Glibc
import HookgateTestSupport
import Testing

/// `hookgate emulate`'s help, usage errors and start-up failures, from the real binary.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct EmulateCommandTests {
    /// The help names the endpoints, says it is not Stripe and gives the exit codes.
    @Test func helpSaysWhatItIsAndItsExitCodes() throws {
        let result = try HookgateProcess.run(["emulate", "--help"])
        #expect(result.status == 0)
        let help = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("Hookgate's emulator, not Stripe"), "\(help)")
        #expect(help.contains("Exit codes: 0 stopped by SIGINT or SIGTERM, 1 cannot listen, 2 usage error."))
        for option in [
            "--listen", "--forward-to", "--secret-env", "--cacert", "--insecure", "--thin", "--retry-scale",
            "--duplicate", "--reorder", "--delay", "--drop", "--seed",
        ] {
            #expect(help.contains(option), "\(option)")
        }
    }

    /// Bad options, a non-loopback address without HTTPS and an unset secret variable exit 2, saying why.
    @Test(arguments: [
        (["--listen", "nowhere"], "--listen"),
        (["--listen", "0.0.0.0:0"], "needs HTTPS"),
        (["--duplicate", "2"], "--duplicate"),
        (["--drop", "-0.1"], "--drop"),
        (["--forward-to", "ftp://x"], "--forward-to"),
        (["--retry-scale", "0"], "--retry-scale"),
        (["--api-fail-status", "404"], "--api-fail-status"),
        (["--tls-cert", "cert.pem"], "--tls-key"),
        (["--forward-to", "http://127.0.0.1:9/", "--secret-env", "HOOKGATE_EMULATE_UNSET"], "HOOKGATE_EMULATE_UNSET"),
    ])
    func usageErrorsExit2(_ arguments: [String], _ reason: String) throws {
        let result = try HookgateProcess.run(["emulate", "--listen", "127.0.0.1:0"] + arguments)
        #expect(result.status == 2, "\(arguments): \(result.output)")
        #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
    }

    /// A --state file that is not SQLite: exit 2, naming it.
    @Test func aStateFileThatIsNotSQLiteExits2() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("state.sqlite", Array("not a database".utf8))
        let result = try HookgateProcess.run(["emulate", "--listen", "127.0.0.1:0", "--state", path])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.stderr.contains("cannot use the state file '\(path)'"), "\(result.stderr)")
    }

    /// A port another process listens on: exit 1, naming the address.
    @Test func aPortInUseExits1() throws {
        let directory = try TemporaryDirectory()
        let first = try EmulatorProcess(directory: directory.url, arguments: [], environment: [:])
        let second = try HookgateProcess.run(["emulate", "--listen", "127.0.0.1:\(first.port)"])
        #expect(second.status == 1, "\(second.output)")
        #expect(second.stderr.contains("cannot listen on 127.0.0.1:\(first.port)"), "\(second.stderr)")
        #expect(try first.stop() == 0)
        #expect(first.stderr.contains("not Stripe"))
    }
}
