import ArgumentParser
import HookgateCore

/// What `hookgate deliveries list` and `hookgate commands list` do with the records they read: one JSON object a
/// line with `--json`, else a table fitted to the terminal, or a note on standard error when none matched.
struct RecordListing<Record> {
    /// The command after `hookgate` (e.g. `commands list`), naming it in an error.
    let command: String
    /// What is listed, in the plural (e.g. `commands`), for the note that none matched.
    let plural: String
    /// One record as its JSON line's object.
    let json: (Record) -> JSONValue
    /// The table of the records, fitted to a terminal this wide (nil: not a terminal, every value whole).
    let table: ([Record], Int?) -> String

    /// Reads the records with `read` and prints them, as JSON lines when `asJSON`.
    /// - Throws: `ExitCode(1)` when `read` fails, after saying why on standard error.
    func print(asJSON: Bool, read: () async throws -> [Record]) async throws {
        let records: [Record]
        do {
            records = try await read()
        } catch {
            StandardError.write("hookgate \(self.command): \(error)")
            throw ExitCode(1)
        }
        if asJSON {
            for record in records { Swift.print(self.json(record).serialized()) }
        } else if records.isEmpty {
            StandardError.write("no \(self.plural) match")
        } else {
            Swift.print(self.table(records, TerminalWidth.current()), terminator: "")
        }
    }
}
