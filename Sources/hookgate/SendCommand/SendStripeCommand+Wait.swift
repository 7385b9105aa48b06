import ArgumentParser
import Foundation
import HookgateCore
import NIOCore
import NIOHTTP1

extension SendStripeCommand {
    /// How often `--wait` asks the commands socket where the command stands.
    static let statusPollInterval = Duration.milliseconds(100)

    /// Exit code of `--wait` when the command is neither delivered nor dead after `--wait-timeout`.
    static let stillPendingExitCode: Int32 = 3

    /// Asks `GET /commands/{id}` every ``statusPollInterval`` until the command is delivered or dead or
    /// `--wait-timeout` passed, then prints the outcome: exit 0 delivered, 1 dead, ``stillPendingExitCode``
    /// still pending. A `503` is asked again; no answer or another status is exit 1.
    func waitForOutcome(of commandID: String, client: AdminSocketClient, socketPath: String) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(self.waitTimeout)
        let uri = "/commands/" + FormEncoding.escaped(commandID)
        var last: CommandStatusAnswer?
        while true {
            let asked: AdminSocketClient.Answer?
            do {
                asked = try await withTimeLimit(deadline - clock.now) {
                    try await client.send(method: "GET", uri: uri, headers: HTTPHeaders(), body: [])
                }
            } catch {
                throw self.unreachable(socketPath, "\(error)")
            }
            // The wait ran out while the gateway was answering: as long as it waits, and no longer.
            guard let answer = asked else { break }
            let body = Array(answer.body.readableBytesView)
            switch answer.status {
            case 200:
                let status = CommandStatusAnswer(body: body)
                if status.isFinal { return try self.report(status) }
                last = status
            case 503:
                break  // The store could not be read this time: ask again.
            default:
                let refusal = SentCommandAnswer(status: answer.status, body: body, id: commandID)
                StandardError.write("hookgate send-command: asking where the command stands: " + refusal.line)
                throw ExitCode(1)
            }
            guard clock.now + Self.statusPollInterval < deadline else { break }
            try await Task.sleep(for: Self.statusPollInterval)
        }
        guard let last else {
            StandardError.write(
                "hookgate send-command: no word of the command within \(self.waitTimeout) s (the gateway's store "
                    + "could not be read, or the socket did not answer in time); it stays stored and is still sent"
            )
            throw ExitCode(Self.stillPendingExitCode)
        }
        print(self.json ? last.json : last.line(waitedSeconds: self.waitTimeout))
        throw ExitCode(Self.stillPendingExitCode)
    }

    /// Prints a delivered or dead command's outcome; exit 1 when dead.
    private func report(_ status: CommandStatusAnswer) throws {
        print(self.json ? status.json : status.line(waitedSeconds: self.waitTimeout))
        if status.state == "dead" { throw ExitCode(1) }
    }
}
