import GRDB

/// Copies committed pages from the WAL into the database file on a connection of its own, so
/// appends rarely wait for a checkpoint.
///
/// SQLite's default checkpoints run on the writer right after a commit, stalling the next batch
/// for a 4 MB copy and an fsync of the database file. Here the writer's automatic checkpoint is
/// only a far-off safety net; this loop runs PASSIVE checkpoints (which never block the writer)
/// while the WAL changes. Under sustained load the writer never leaves the WAL fully copied, so
/// it would grow without end: past ``restartFrames`` one PASSIVE checkpoint runs on the writer
/// itself, between two commits. It copies only the few frames left, and lets the next commit
/// start the WAL over. (A RESTART from this connection would make the writer wait in SQLite's
/// busy handler, which sleeps in steps of up to 100 ms.)
final class WALCheckpointer: Sendable {
    /// WAL frames (pages) beyond which the writer checkpoints: 8,192 frames, 32 MB with 4 KB pages.
    static let restartFrames = 8192
    /// The writer's own automatic checkpoint, in frames: only reached if this loop stalls.
    static let writerSafetyNetFrames = 4 * restartFrames

    private let connection: DatabaseQueue
    private let writer: DatabasePool

    /// Opens the checkpointing connection on a database that `writer` already put in WAL mode.
    init(path: String, writer: DatabasePool) throws {
        var configuration = Configuration()
        configuration.label = "hookgate.store.checkpointer"
        connection = try DatabaseQueue(path: path, configuration: configuration)
        // The checkpoint fsyncs the WAL before copying and the database file before the WAL restarts.
        try connection.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        self.writer = writer
    }

    /// Checkpoints until the task is cancelled: every 5 ms while the WAL keeps changing (small,
    /// frequent checkpoints disturb the writer's fsyncs least), every 100 ms when idle.
    func run() async {
        var lastFrameCount = -1
        while !Task.isCancelled {
            let frameCount = (try? await checkpoint()) ?? lastFrameCount
            let pause: Duration = frameCount != lastFrameCount ? .milliseconds(5) : .milliseconds(100)
            lastFrameCount = frameCount
            try? await Task.sleep(for: pause)
        }
    }

    /// One PASSIVE checkpoint, and one on the writer when the WAL got long; returns the WAL's frame count.
    private func checkpoint() async throws -> Int {
        let walFrameCount = try await connection.writeWithoutTransaction { db in
            try db.checkpoint(.passive).walFrameCount
        }
        if walFrameCount > Self.restartFrames {
            _ = try await writer.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        }
        return walFrameCount
    }
}
