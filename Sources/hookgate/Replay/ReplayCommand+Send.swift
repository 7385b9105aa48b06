import ArgumentParser
import AsyncHTTPClient
import HookgateCore
import HookgateDelivery
import HookgateStore

extension ReplayCommand {
    /// `--to-socket` or `--to-url`: sends the selection now, records nothing, and prints sent, delivered and
    /// failed.
    func sendNow(_ selection: ReplaySelection, reader: any DeliveryReader) async throws {
        var tally = ReplaySendTally()
        tally.notFound = selection.notFound
        if let toSocket {
            try await self.send(selection.records, toSocket: toSocket, reader: reader, tally: &tally)
        } else if let toURL {
            try await self.send(selection.records, toURL: toURL, tally: &tally)
        }
        for line in tally.lines { StandardError.write(line) }
        if self.json { print(ReplaySummaryJSON.send(tally).serialized()) }
        if !tally.allSucceeded { throw ExitCode(1) }
    }

    /// Sends each record with the worker's requests: its prepared messages, or its stored body with `--raw` or
    /// when it has none.
    private func send(
        _ records: [DeliveryRecord],
        toSocket socketPath: String,
        reader: any DeliveryReader,
        tally: inout ReplaySendTally
    ) async throws {
        let sender: UpstreamSender
        do {
            sender = try UpstreamSender(settings: UpstreamSettings(socketPath: socketPath))
        } catch {
            throw UsageError("--to-socket: \(error)")
        }
        await self.paced(records) { record in
            var messages: [OutboundMessage] = []
            if !self.raw {
                do {
                    messages = try await reader.inspection(of: record.id)?.messages ?? []
                } catch {
                    tally.record(record.id, error: "cannot read its prepared events: \(error)")
                    return false
                }
                if messages.isEmpty { tally.sentRaw.append(record.id) }
            }
            let result = await sender.send(record, messages: messages, attempt: record.attemptCount + 1)
            tally.record(record.id, error: result.error)
            return result.delivered
        }
        await sender.shutdown()
    }

    /// Posts each record's stored body to another gateway, re-signed with the secret options and a fresh
    /// timestamp.
    private func send(_ records: [DeliveryRecord], toURL url: String, tally: inout ReplaySendTally) async throws {
        let keys = try self.secrets.stripeKeys()
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: try self.tls.configuration(connections: 1)
        )
        let sender = ReplayHTTPSSender(url: url, keys: keys, client: client)
        await self.paced(records) { record in
            let error = await sender.send(record)
            tally.record(record.id, error: error)
            return error == nil
        }
        try? await client.shutdown()
    }
}
