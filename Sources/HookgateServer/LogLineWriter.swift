import Foundation
import NIOConcurrencyHelpers

/// Writes the log lines of every thread to one file descriptor, in batches, so that a request's log line costs
/// its caller (often an event loop) no system call.
///
/// A line at `info` and below is appended to a buffer; a background thread writes what has gathered every
/// ``interval`` with one `write(2)`, or the caller does when the buffer passes ``maximumBufferedBytes``. A line
/// at `warning` and above is written at once, after what was buffered, so lines keep their order. Call
/// ``flush()`` before the process exits: a line buffered when the process is killed is lost (at most
/// ``interval`` of `info` lines).
public final class LogLineWriter: Sendable {
    /// The writer of standard output, which `hookgate serve` logs to.
    public static let standardOutput = LogLineWriter(fileDescriptor: 1)

    /// How long a buffered line waits at most.
    public static let interval: Duration = .milliseconds(10)
    /// Buffered bytes past which the caller writes them itself.
    static let maximumBufferedBytes = 256 * 1024

    private struct Pending {
        var bytes: [UInt8] = []
        var flusherStarted = false
    }

    private let fileDescriptor: Int32
    private let pending = NIOLockedValueBox(Pending())
    /// Serializes writes, so that one batch never interleaves with another.
    private let writing = NIOLock()

    /// A writer to `fileDescriptor`, which it does not close.
    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// Writes `line` (which ends with its newline): buffered, or at once with what was buffered before it.
    public func write(_ line: String, immediately: Bool) {
        var line = line
        let (startFlusher, batch): (Bool, [UInt8]?) = line.withUTF8 { bytes in
            self.pending.withLockedValue { pending in
                pending.bytes.append(contentsOf: bytes)
                let start = !pending.flusherStarted && !immediately
                if start { pending.flusherStarted = true }
                guard immediately || pending.bytes.count >= Self.maximumBufferedBytes else { return (start, nil) }
                defer { pending.bytes.removeAll(keepingCapacity: true) }
                return (start, pending.bytes)
            }
        }
        if startFlusher { self.startFlusher() }
        if let batch { self.writeAll(batch) }
    }

    /// Writes everything buffered now.
    public func flush() {
        let batch = self.pending.withLockedValue { pending in
            defer { pending.bytes.removeAll(keepingCapacity: true) }
            return pending.bytes
        }
        if !batch.isEmpty { self.writeAll(batch) }
    }

    /// Starts the thread that writes the buffer every ``interval``; it ends when the writer is released.
    private func startFlusher() {
        let thread = Thread { [weak self] in
            let pause = UInt32(Self.interval.components.attoseconds / 1_000_000_000_000)
            while true {
                usleep(pause)
                guard let writer = self else { return }
                writer.flush()
            }
        }
        thread.name = "hookgate.log"
        thread.start()
    }

    private func writeAll(_ bytes: [UInt8]) {
        self.writing.withLock {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(
                        self.fileDescriptor,
                        buffer.baseAddress! + offset,
                        buffer.count - offset
                    )
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { return }
                    offset += written
                }
            }
        }
    }
}
