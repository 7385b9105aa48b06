import Foundation
import Glibc
import HookgateTestSupport

/// One TLS connection kept open through `openssl s_client`, for requests before and after a reload.
final class KeepAliveClient {
    private let process = Process()
    private let input = CloseOnExecStream()
    private let output = CloseOnExecStream()

    init(address: String) throws {
        self.process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        self.process.arguments = ["openssl", "s_client", "-quiet", "-connect", address, "-servername", "localhost"]
        self.process.standardInput = self.input.childEnd
        self.process.standardOutput = self.output.childEnd
        self.process.standardError = FileHandle.nullDevice
        try self.process.run()
        self.input.closeChildEnd()
        self.output.closeChildEnd()
    }

    deinit { self.close() }

    /// Sends a keep-alive GET and returns the response head and body read within a second.
    func get(_ path: String) throws -> String {
        self.input.parentEnd.write(Data("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
        var received = Data()
        let deadline = Date().addingTimeInterval(5)
        let descriptor = self.output.parentEnd.fileDescriptor
        while Date() < deadline {
            var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&pollDescriptor, 1, 100) > 0 else {
                if !received.isEmpty { break }
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { break }
            received.append(contentsOf: buffer[..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Ends the connection. (`s_client` outlives SIGTERM until the server closes the connection, so it is killed.)
    func close() {
        if self.process.isRunning {
            self.process.exitOrKill(within: 0)
        }
    }
}
