import Foundation
import Glibc
import HookgateServer
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// The socket file a listener binds is created with its final mode: no moment when another user could connect.
@Suite(.serialized)
struct UnixSocketFileTests {
    /// A thread `lstat`s the path as fast as it can while a listener is bound and closed 100 times: every mode
    /// it sees is 0600 (with a chmod after the bind, the file existed for a moment with the umask's mode). A
    /// client connects through the final path each time.
    @Test func theSocketNeverHasAWiderModeThanItsOwn() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-socket-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("admin.sock").path
        let file = UnixSocketFile(path: path)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let watching = Atomic(true)
        let seen = NIOLockedValueBox<(modes: Set<mode_t>, looks: Int)>(([], 0))
        let watcher = Thread {
            var status = stat()
            while watching.load(ordering: .relaxed) {
                guard lstat(path, &status) == 0 else { continue }
                let mode = status.st_mode & 0o777
                seen.withLockedValue {
                    $0.modes.insert(mode)
                    $0.looks += 1
                }
            }
        }
        watcher.start()
        for _ in 0..<100 {
            try file.prepare()
            let channel = try await file.creating(mode: 0o600) { privatePath in
                try await ServerBootstrap(group: group).bind(unixDomainSocketPath: privatePath).get()
            } close: { channel in
                try? await channel.close()
            }
            #expect(try file.boundInode(mode: 0o600) > 0)
            let client = try await ClientBootstrap(group: group).connect(unixDomainSocketPath: path).get()
            try await client.close()
            try await channel.close()
            unlink(path)
        }
        watching.store(false, ordering: .relaxed)
        try await group.shutdownGracefully()
        let (modes, looks) = seen.withLockedValue { ($0.modes, $0.looks) }
        #expect(looks > 0, "the watcher never saw the socket")
        #expect(modes == [0o600], "modes seen: \(modes.map { String($0, radix: 8) })")
        // Clients reach the listener by its final path; nothing of the private directory is left.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
