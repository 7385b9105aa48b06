import Foundation
import HookgateTestSupport

/// Runs the built `hookgate` binary as a child process, as users and scripts do.
struct HookgateProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Both streams, for "never appears anywhere" checks.
        var output: String { self.stdout + self.stderr }
    }

    /// The `hookgate` executable next to the test bundle in the build folder.
    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test bundle is `<build>/HookgatePackageTests.xctest`, a plain executable.
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("hookgate")
    }()

    /// Runs `hookgate` with `arguments`, extra environment variables and `stdin`, and waits for it.
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: [UInt8] = []) throws -> Result {
        try self.run(executable: self.executable, arguments: arguments, environment: environment, stdin: stdin)
    }

    /// Runs any executable to completion, feeding it `stdin` and collecting both output streams.
    static func run(
        executable: URL,
        arguments: [String],
        environment: [String: String] = [:],
        stdin: [UInt8] = []
    )
        throws -> Result
    {
        let result = try SpawnedProcess.run(
            executable: executable.path,
            arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            stdin: Data(stdin)
        )
        return Result(
            status: result.status,
            stdout: String(decoding: result.stdout, as: UTF8.self),
            stderr: String(decoding: result.stderr, as: UTF8.self)
        )
    }
}

/// A temporary directory removed at the end of the test.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        self.url = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: self.url)
    }

    /// Writes `bytes` to `name` (which may include folders) inside the directory and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = self.url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }
}

enum CLIFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { self.directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: self.directory.appendingPathComponent(name)))
    }
}
