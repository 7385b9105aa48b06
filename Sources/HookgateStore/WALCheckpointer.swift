import GRDB

/// Copies committed pages from the WAL into the database file on a connection of its own, so
/// appends never wait for a checkpoint.
///
/// SQLite's default checkpoints run on the writer right after a commit, stalling the next batch
/// for a 4 MB copy and an fsync of the database file. Here the writer's automatic checkpoint is
/// only a far-off safety net; this loop runs PASSIVE checkpoints (which never block the writer)
/// while the WAL has uncopied frames. Under sustained load the writer never leaves the WAL fully
/// copied, so it would grow without end: past ``restartFrames`` a RESTART checkpoint makes the
/// next transaction start the WAL over (it blocks writers only for the few frames left to copy).
final class WALCheckpointer: Sendable {
    /// WAL frames (pages) beyond which the WAL is restarted: 8,192 frames, 32 MB with 4 KB pages.
    static let restartFrames = 8192
    /// The writer's own automatic checkpoint, in frames: only reached if this loop stalls.
    static let writerSafetyNetFrames = 4 * restartFrames

    private let connection: DatabaseQueue

    /// Opens the checkpointing connection on a database that is already in WAL mode.
    init(path: String) throws {
        var configuration = Configuration()
        // Give up quickly when readers or the writer are in the way; the loop tries again.
        configuration.busyMode = .timeout(0.1)
        configuration.label = "hookgate.store.checkpointer"
        connection = try DatabaseQueue(path: path, configuration: configuration)
        // The checkpoint fsyncs the WAL before copying and the database file before the WAL restarts.
        try connection.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    }

    /// Checkpoints until the task is cancelled: every 20 ms while the WAL keeps changing, every 100 ms when idle.
    func run() async {
        var lastFrameCount = -1
        while !Task.isCancelled {
            let frameCount = (try? await checkpoint()) ?? lastFrameCount
            let pause: Duration = frameCount != lastFrameCount ? .milliseconds(20) : .milliseconds(100)
            lastFrameCount = frameCount
            try? await Task.sleep(for: pause)
        }
    }

    /// One PASSIVE checkpoint, and a RESTART when the WAL got long; returns the WAL's frame count.
    private func checkpoint() async throws -> Int {
        try await connection.writeWithoutTransaction { db in
            let passive = try db.checkpoint(.passive)
            if passive.walFrameCount > Self.restartFrames {
                _ = try db.checkpoint(.restart)
            }
            return passive.walFrameCount
        }
    }
}
