import Foundation
import Glibc
import HookgateTestSupport

/// Debian's `chromium`, headless, driven over `--remote-debugging-pipe` (no port, no network), with a profile of
/// its own; closed, then killed with its whole process group, at the end of the test.
///
/// Missing `chromium` is a failure, not a skip: the dashboard's acceptance is these tests
/// (`.ci/install-system-packages` installs it).
final class HeadlessChromium: @unchecked Sendable {
    /// The browser's protocol connection.
    let devTools: DevToolsConnection
    private let pid: pid_t
    private let profile: TemporaryDirectory
    private var stopped = false

    /// Where Debian installs the browser's launcher.
    static let executable = "/usr/bin/chromium"

    /// Starts the browser with an empty profile.
    init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw DevToolsConnection.Failure(
                description: "\(Self.executable) is missing: the dashboard's browser tests need Debian's chromium "
                    + "(.ci/install-system-packages installs it; or apt-get install chromium)"
            )
        }
        self.profile = try TemporaryDirectory()
        // Both pairs are close-on-exec; the child gets copies at 3 and 4, where dup2 clears the flag.
        let commands = CloseOnExecStream()
        let messages = CloseOnExecStream()
        let browserReads = fcntl(commands.childEnd.fileDescriptor, F_DUPFD_CLOEXEC, 10)
        let browserWrites = fcntl(messages.childEnd.fileDescriptor, F_DUPFD_CLOEXEC, 10)
        defer {
            close(browserReads)
            close(browserWrites)
            commands.closeChildEnd()
            messages.closeChildEnd()
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let log = self.profile.url.appendingPathComponent("chromium.log").path
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, browserReads, 3)
        posix_spawn_file_actions_adddup2(&actions, browserWrites, 4)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        // A process group of its own, so that the end of the test can end the renderers and helpers with it.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)
        )
        var arguments = [
            Self.executable, "--headless", "--remote-debugging-pipe", "--user-data-dir=\(self.profile.url.path)",
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--disable-features=Translate,MediaRouter,OptimizationHints", "--metrics-recording-only", "--mute-audio",
            "--hide-scrollbars", "--password-store=basic", "--window-size=1280,800", "--lang=en-US",
        ]
        // Chromium's sandbox refuses to run as root (a CI container).
        if getuid() == 0 { arguments.append("--no-sandbox") }
        arguments.append("about:blank")
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = self.profile.url.path
        environment["LANG"] = "C.UTF-8"
        environment["TZ"] = "UTC"
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, Self.executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        self.pid = pid
        self.devTools = DevToolsConnection(commands: commands.parentEnd, messages: messages.parentEnd)
        do {
            try self.devTools.call("Browser.getVersion")
        } catch {
            self.stop()
            throw DevToolsConnection.Failure(description: "chromium did not answer: \(error)\n\(self.log)")
        }
    }

    deinit {
        self.stop()
    }

    /// What the browser wrote on its standard output and error.
    var log: String {
        (try? String(contentsOf: self.profile.url.appendingPathComponent("chromium.log"), encoding: .utf8)) ?? ""
    }

    /// Asks the browser to close, waits at most 10 s for it, then kills its process group and reaps it.
    func stop() {
        guard !self.stopped else { return }
        self.stopped = true
        _ = try? self.devTools.call("Browser.close", timeout: 5)
        let deadline = Date().addingTimeInterval(10)
        var status: Int32 = 0
        while waitpid(self.pid, &status, WNOHANG) == 0 {
            guard Date() < deadline else {
                kill(-self.pid, SIGKILL)
                waitpid(self.pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        // Helpers that outlived the browser (they normally exit with it) belong to its group.
        kill(-self.pid, SIGKILL)
    }
}
