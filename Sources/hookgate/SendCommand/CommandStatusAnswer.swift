import HookgateCore

/// The commands socket's answer to `GET /commands/{id}` as `hookgate send-command --wait` reads and prints it.
struct CommandStatusAnswer {
    /// The answer's JSON object (empty when the body was not one).
    var members: [JSONValue.Member]

    init(body: [UInt8]) {
        if case .object(let members)? = try? JSONValueParser.parse(body) {
            self.members = members
        } else {
            self.members = []
        }
    }

    /// `pending`, `delivering`, `delivered` or `dead`; nil when the answer named none.
    var state: String? { self.string("state") }

    /// Whether the command will not change any more: Stripe answered it (`delivered`) or it gave up (`dead`).
    var isFinal: Bool { self.state == "delivered" || self.state == "dead" }

    /// One line, control characters escaped: `delivered: pi_3... succeeded`, `dead: <the last error>`, or, while
    /// it waits, `pending after 30 s: attempts 2, last error: ...; it stays stored and is still sent`.
    func line(waitedSeconds: Int) -> String {
        DisplayText.escapingControls(self.text(waitedSeconds: waitedSeconds))
    }

    private func text(waitedSeconds: Int) -> String {
        let state = self.state ?? "unknown"
        let lastError = self.string("last_error")
        switch state {
        case "delivered":
            guard case .object(let object)? = self.member("stripe_object") else { return "delivered" }
            let parts = ["id", "status"].compactMap { key in
                object.first { $0.key == key }.flatMap { if case .string(let text) = $0.value { text } else { nil } }
            }
            return (["delivered:"] + parts).joined(separator: " ")
        case "dead":
            let status = self.member("last_status").map { "Stripe answered \($0.serialized())" }
            return "dead: " + (lastError ?? status ?? "no error recorded")
        default:
            let attempts = self.member("attempts").map { $0.serialized() } ?? "?"
            return "\(state) after \(waitedSeconds) s: attempts \(attempts)"
                + (lastError.map { ", last error: \($0)" } ?? "") + "; it stays stored and is still sent"
        }
    }

    /// The answer's object, as the socket sent it.
    var json: String {
        JSONValue.object(self.members).serialized()
    }

    private func member(_ key: String) -> JSONValue? {
        self.members.first { $0.key == key }?.value
    }

    private func string(_ key: String) -> String? {
        if case .string(let text)? = self.member(key) { text } else { nil }
    }
}
