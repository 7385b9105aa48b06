import Glibc
import NIOCore
import NIOPosix

extension UnixSocketFile {
    /// A listener bound at ``path``, with what is needed to remove its file on the way out.
    struct Listener<Child: Sendable> {
        /// The server channel.
        var channel: NIOAsyncChannel<Child, Never>
        /// The address clients use (``path``, not the private one it was bound at).
        var address: SocketAddress
        /// The bound socket's inode, for ``UnixSocketFile/remove(inode:)``.
        var inode: ino_t
    }

    /// Binds `bootstrap` at ``path`` with `mode` (``prepare()``, then ``creating(mode:by:close:)``): a stale
    /// socket replaced, a live one or another file left alone.
    /// - Throws: ``ListenError`` naming the path and the cause.
    func bindListener<Child: Sendable>(
        mode: UInt16,
        bootstrap: ServerBootstrap,
        childChannelInitializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Child>
    ) async throws -> Listener<Child> {
        try self.prepare()
        let channel: NIOAsyncChannel<Child, Never>
        do {
            channel = try await self.creating(mode: mode_t(mode)) { privatePath in
                try await bootstrap.bind(
                    unixDomainSocketPath: privatePath,
                    cleanupExistingSocketFile: false,
                    childChannelInitializer: childChannelInitializer
                )
            } close: { channel in
                try? await channel.channel.close()
            }
        } catch let error as ListenError {
            throw error
        } catch {
            throw ListenError(address: self.path, bindError: error)
        }
        do {
            return Listener(
                channel: channel,
                address: try SocketAddress(unixDomainSocketPath: self.path),
                inode: try self.boundInode(mode: mode_t(mode))
            )
        } catch {
            try? await channel.channel.close()
            throw error
        }
    }
}
