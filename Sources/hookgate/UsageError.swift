/// A problem with what the user asked for (an unreadable file, an unset variable): exit code 2.
/// Messages never contain secret material.
struct UsageError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { self.message }
}
