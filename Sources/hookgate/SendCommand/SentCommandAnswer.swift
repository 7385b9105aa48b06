import HookgateCore

/// The commands socket's answer as `hookgate send-command` prints it.
struct SentCommandAnswer {
    /// The HTTP status.
    var status: Int
    /// The answer's JSON object (empty when the body was not one).
    var members: [JSONValue.Member]
    /// The id sent, when the command was built from options (a `--file`'s id is in the answer, if accepted).
    var id: String?

    init(status: Int, body: [UInt8], id: String?) {
        self.status = status
        if case .object(let members)? = try? JSONValueParser.parse(body) {
            self.members = members
        } else {
            self.members = []
        }
        self.id = id
    }

    /// Whether the command is stored (new or a duplicate).
    var isAccepted: Bool { self.status == 202 }

    /// The command's CloudEvent id: the answer's, else the one sent.
    var commandID: String? { self.string("id") ?? self.id }

    /// One line: `accepted: command 7, id ID` or `duplicate: ...`, else `409 command_conflict: message (id ID)`.
    var line: String {
        let id = self.string("id") ?? self.id
        if self.isAccepted {
            let duplicate = self.member("duplicate") == .bool(true)
            let command = self.member("command").map { $0.serialized() } ?? "?"
            return (duplicate ? "duplicate (stored before)" : "accepted") + ": command \(command), id \(id ?? "?")"
        }
        let code = self.string("error") ?? "error"
        let message = self.string("message") ?? "the gateway answered without a JSON error"
        return "\(self.status) \(code): \(message)" + (id.map { " (id \($0))" } ?? "")
    }

    /// `{"status":202,...the answer's members}`, plus the id sent when the answer has none.
    var json: String {
        var members = [JSONValue.Member(key: "status", value: .integer(Int64(self.status)))] + self.members
        if let id, self.member("id") == nil { members.append(.init(key: "id", value: .string(id))) }
        return JSONValue.object(members).serialized()
    }

    private func member(_ key: String) -> JSONValue? {
        self.members.first { $0.key == key }?.value
    }

    private func string(_ key: String) -> String? {
        if case .string(let text)? = self.member(key) { text } else { nil }
    }
}
