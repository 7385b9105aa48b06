import Foundation
import Glibc

/// The Chrome DevTools Protocol over the pipes of `--remote-debugging-pipe`: the browser reads commands from its
/// descriptor 3 and writes replies and events to its descriptor 4, each message one JSON object followed by a NUL
/// byte.
///
/// A thread of its own reads the browser's messages as they come; calls block the calling thread until their
/// reply (the browser tests run on threads of their own), and events are kept in arrival order for waiters.
final class DevToolsConnection: @unchecked Sendable {
    /// A command the browser answered with an error, a reply or event not there in time, or a closed pipe.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let commands: FileHandle
    private let condition = NSCondition()
    private var nextID = 1
    private var replies: [Int: [String: Any]] = [:]
    private var receivedEvents: [[String: Any]] = []
    private var closed = false

    /// Starts reading `messages` (the browser's descriptor 4) at once; `commands` is its descriptor 3.
    init(commands: FileHandle, messages: FileHandle) {
        self.commands = commands
        let reader = Thread { [self] in
            self.read(from: messages)
        }
        reader.name = "devtools-reader"
        reader.start()
    }

    /// Sends `method` with `parameters` (to the page `session`, when given) and waits at most `timeout` seconds
    /// for its result.
    @discardableResult
    func call(
        _ method: String,
        _ parameters: [String: Any] = [:],
        session: String? = nil,
        timeout: TimeInterval = 30
    ) throws -> [String: Any] {
        let id = self.condition.withLock {
            defer { self.nextID += 1 }
            return self.nextID
        }
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        try self.write(bytes)
        let deadline = Date().addingTimeInterval(timeout)
        self.condition.lock()
        defer { self.condition.unlock() }
        while self.replies[id] == nil, !self.closed {
            guard self.condition.wait(until: deadline) else { break }
        }
        guard let reply = self.replies.removeValue(forKey: id) else {
            throw Failure(description: "\(method): no reply within \(timeout) s\(self.closed ? " (browser gone)" : "")")
        }
        if let error = reply["error"] as? [String: Any] {
            throw Failure(description: "\(method): \(error["message"] ?? "error") \(error["data"] ?? "")")
        }
        return reply["result"] as? [String: Any] ?? [:]
    }

    /// How many events have arrived so far: pass it to ``waitForEvent(_:session:after:timeout:)`` to wait only
    /// for what comes later.
    var eventCount: Int {
        self.condition.withLock { self.receivedEvents.count }
    }

    /// The parameters of every event `method` of `session` received so far.
    func events(_ method: String, session: String) -> [[String: Any]] {
        self.condition.withLock {
            self.receivedEvents.filter { $0["method"] as? String == method && $0["sessionId"] as? String == session }
                .map { $0["params"] as? [String: Any] ?? [:] }
        }
    }

    /// Waits for the first event `method` of `session` after the first `index` events; returns its parameters.
    func waitForEvent(
        _ method: String,
        session: String,
        after index: Int,
        timeout: TimeInterval = 20
    ) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        self.condition.lock()
        defer { self.condition.unlock() }
        var scanned = index
        while true {
            while scanned < self.receivedEvents.count {
                let event = self.receivedEvents[scanned]
                scanned += 1
                if event["method"] as? String == method, event["sessionId"] as? String == session {
                    return event["params"] as? [String: Any] ?? [:]
                }
            }
            guard !self.closed, self.condition.wait(until: deadline) else {
                throw Failure(description: "no \(method) within \(timeout) s")
            }
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes {
                Glibc.send(self.commands.fileDescriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Failure(description: "the browser's pipe is closed (errno \(errno))") }
            written += count
        }
    }

    /// Reads NUL-terminated messages until the browser closes its end, handing each to waiters.
    private func read(from messages: FileHandle) {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(messages.fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            let searchFrom = pending.count
            pending += chunk[0..<count]
            var start = 0
            var index = searchFrom
            while let end = pending[index...].firstIndex(of: 0) {
                self.receive(Array(pending[start..<end]))
                start = end + 1
                index = start
            }
            pending.removeFirst(start)
        }
        self.condition.withLock {
            self.closed = true
            self.condition.broadcast()
        }
    }

    private func receive(_ bytes: [UInt8]) {
        guard let message = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { return }
        self.condition.withLock {
            if let id = message["id"] as? Int {
                self.replies[id] = message
            } else {
                self.receivedEvents.append(message)
            }
            self.condition.broadcast()
        }
    }
}
