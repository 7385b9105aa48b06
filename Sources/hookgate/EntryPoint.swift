import ArgumentParser
import Glibc

/// Runs `hookgate` with the exit codes users' scripts rely on: 0 success, 1 a failed check (the command
/// throws `ExitCode(1)` after printing why), 2 any usage error. (ArgumentParser alone would exit 64.)
@main
enum EntryPoint {
    static func main() async {
        do {
            var command = try HookgateCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exitCode as ExitCode {
            exit(exitCode.rawValue)
        } catch {
            let message = UsageMessageRedaction.redact(
                HookgateCommand.fullMessage(for: error),
                arguments: Array(CommandLine.arguments.dropFirst())
            )
            if HookgateCommand.exitCode(for: error) == .success {
                print(message)
                exit(0)
            }
            StandardError.write(message)
            exit(2)
        }
    }
}
