import Foundation
import Testing

@testable import HookgateServer

@Suite(.timeLimit(.minutes(1)))
struct LogLineWriterTests {
    /// A pipe whose read end is non-blocking, so that a test can see what has been written so far.
    private struct Pipe {
        let read: Int32
        let write: Int32

        init() throws {
            var ends: [Int32] = [0, 0]
            try #require(pipe(&ends) == 0)
            self.read = ends[0]
            self.write = ends[1]
            _ = fcntl(self.read, F_SETFL, fcntl(self.read, F_GETFL) | O_NONBLOCK)
        }

        func available() -> String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = Foundation.read(self.read, &chunk, chunk.count)
                guard count > 0 else { break }
                bytes += chunk[..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        func close() {
            Foundation.close(self.read)
            Foundation.close(self.write)
        }
    }

    /// A buffered line is not written by the caller; a `warning` line is, at once, after the buffered ones.
    @Test func buffersInfoAndWritesWarningsAtOnceInOrder() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let writer = LogLineWriter(fileDescriptor: pipe.write)
        writer.write("first\n", immediately: false)
        writer.write("second\n", immediately: true)
        #expect(pipe.available() == "first\nsecond\n")
    }

    /// `flush()` writes what is buffered; the background thread does too, without a flush.
    @Test func flushAndTheBackgroundThreadWriteBufferedLines() async throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let writer = LogLineWriter(fileDescriptor: pipe.write)
        writer.write("one\n", immediately: false)
        writer.flush()
        #expect(pipe.available() == "one\n")
        writer.write("two\n", immediately: false)
        var seen = ""
        for _ in 0..<500 where seen.isEmpty {
            seen = pipe.available()
            if seen.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(seen == "two\n")
    }

    /// Lines written from many threads at once all arrive whole, none lost or cut.
    @Test func linesFromManyThreadsArriveWhole() async throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let writer = LogLineWriter(fileDescriptor: pipe.write)
        var received = ""
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<8 {
                group.addTask {
                    for line in 0..<200 { writer.write("thread \(thread) line \(line)\n", immediately: line % 50 == 0) }
                }
            }
        }
        writer.flush()
        received = pipe.available()
        let lines = received.split(separator: "\n")
        #expect(lines.count == 1600)
        #expect(Set(lines).count == 1600)
        #expect(lines.allSatisfy { $0.wholeMatch(of: /thread \d line \d+/) != nil })
    }
}
