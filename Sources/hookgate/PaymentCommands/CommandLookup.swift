import ArgumentParser
import HookgateCore
import HookgateStore

/// Finds the one command a CLI argument names: a store id, or a CloudEvent id.
enum CommandLookup {
    /// The command `reference` names: the command with that store id when it is a number and one has it, else
    /// the command with that CloudEvent id.
    /// - Throws: ``ExitCode`` 1 when none matches or the store fails (said on standard error).
    static func find(_ reference: String, in reader: any CommandReader, command: String) async throws -> CommandDetail {
        let found: CommandDetail?
        do {
            if let id = Int64(reference), let detail = try await reader.command(CommandID(id)) {
                found = detail
            } else {
                found = try await reader.command(commandID: reference)
            }
        } catch {
            StandardError.write("hookgate \(command): \(error)")
            throw ExitCode(1)
        }
        guard let found else {
            StandardError.write("hookgate \(command): no command \(DisplayText.escapingControls(reference))")
            throw ExitCode(1)
        }
        return found
    }
}
