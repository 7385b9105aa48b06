import Foundation
import Glibc
import HookgateServer
import HookgateTestSupport
import NIOCore
import Testing

/// The commands socket's bound on connections and its write timeout, with a client that floods it and never
/// reads. On its own, serialized, with a long time limit: how soon the flood fills the socket's buffers depends on
/// the machine's load, and the flood must not slow the other suites' tests that share its event loops more than
/// once.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CommandsSocketLimitsTests {
    /// One connection at most: a second is closed as soon as it is accepted. The first pipelines thousands of
    /// status requests and never reads an answer: once the socket's buffers are full its answer cannot be written,
    /// and after the write timeout it is closed, which frees its slot for the next connection.
    @Test func aConnectionPastTheLimitIsClosedAndOneThatStopsReadingIsDropped() async throws {
        // The read timeout is long: only the write timeout can close the stalled connection within the test. The
        // client stops sending after 1 s without progress, well before that timeout (5 s) frees the slot.
        try await CommandsServerTests().run(readTimeout: .seconds(60), writeTimeout: .seconds(5), maximumConnections: 1)
        {
            server in
            let stalled = try RawUnixClient(path: server.socketPath)
            defer { stalled.close() }
            let request = Array("GET /commands/cmd_x HTTP/1.1\r\nhost: commands\r\n\r\n".utf8)
            let requests = Array(repeating: request, count: 20_000).flatMap { $0 }
            let sent = stalled.send(requests, stallingAfter: 1_000)
            #expect(sent > 200_000, "the server stopped reading after \(sent) bytes")
            // The stalled connection holds the only slot until its answer has waited the write timeout.
            let refused = try await TestClient.connectPlain(
                to: try SocketAddress(unixDomainSocketPath: server.socketPath)
            )
            #expect(try await refused.waitForClose(timeout: .seconds(5)))
            await refused.close()
            // Then the slot is free again: a new connection is answered.
            let deadline = ContinuousClock.now + .seconds(90)
            var answered: TestClient.Response?
            while answered == nil, ContinuousClock.now < deadline {
                answered = try? await server.status("cmd_x")
                if answered == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(answered?.status == 404)
        }
    }
}

/// A Unix socket client on plain file descriptors that sends without ever reading, as a stuck client does.
private final class RawUnixClient {
    private let descriptor: Int32

    init(path: String) throws {
        self.descriptor = try UnixSocketDescriptor.connected(to: path)
        _ = fcntl(self.descriptor, F_SETFL, fcntl(self.descriptor, F_GETFL) | O_NONBLOCK)
    }

    /// Sends `bytes` until all are sent, or the socket has taken nothing for `milliseconds` (the peer stopped
    /// reading); returns how many were sent.
    func send(_ bytes: [UInt8], stallingAfter milliseconds: Int32) -> Int {
        var offset = 0
        while offset < bytes.count {
            var ready = pollfd(fd: self.descriptor, events: Int16(POLLOUT), revents: 0)
            guard poll(&ready, 1, milliseconds) == 1 else { break }
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { break }
            offset += written
        }
        return offset
    }

    func close() {
        Glibc.close(self.descriptor)
    }
}
