/// Why a command body is refused: not JSON at all, or JSON that breaks a rule of the command's schema.
///
/// The message names the member and the rule (`data.amount: an integer from 1 to 99999999`); it never quotes
/// a value the sender wrote, so it is safe to log and to answer.
public struct CommandRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which kind of refusal.
    public enum Kind: Hashable, Sendable {
        /// The body is not one JSON value the strict parser accepts (or is larger than the limit).
        case malformedJSON
        /// The body is JSON but not a valid command.
        case invalidCommand
    }

    /// Which kind of refusal.
    public let kind: Kind
    /// The member at fault, as a path from the CloudEvent (`data.amount`, `id`); `$` for the whole body.
    public let member: String
    /// The rule it breaks, or for malformed JSON where and why the parser stopped.
    public let rule: String

    /// A refusal of valid JSON: `member` breaks `rule`.
    public static func invalid(_ member: String, _ rule: String) -> Self {
        Self(kind: .invalidCommand, member: member, rule: rule)
    }

    /// A body that is not JSON.
    public static func malformed(_ error: JSONValueParseError) -> Self {
        Self(kind: .malformedJSON, member: "$", rule: "not JSON (\(error))")
    }

    private init(kind: Kind, member: String, rule: String) {
        self.kind = kind
        self.member = member
        self.rule = rule
    }

    /// `member: rule`.
    public var description: String { "\(self.member): \(self.rule)" }
}
