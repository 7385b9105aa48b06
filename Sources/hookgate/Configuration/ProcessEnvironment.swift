import Glibc

/// The environment of this process as a dictionary.
enum ProcessEnvironment {
    /// Every `NAME=value` entry of the environment.
    static func current() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let separator = text.firstIndex(of: "=") {
                variables[String(text[..<separator])] = String(text[text.index(after: separator)...])
            }
            entry += 1
        }
        return variables
    }
}
