import HookgateCore
import NIOHTTP1

extension ErrorResponse {
    /// 400: the body is JSON but no valid command; the message names the member and the rule.
    static func invalidCommand(_ refusal: CommandRefusal) -> Self {
        Self(code: "invalid_command", status: .badRequest, message: refusal.description)
    }

    /// 400: the body is not JSON.
    static func malformedCommand(_ refusal: CommandRefusal) -> Self {
        Self(code: "malformed_request", status: .badRequest, message: "the body is " + refusal.rule)
    }

    /// 409: the id was used before for another request to Stripe.
    static let commandConflict = Self(
        code: "command_conflict",
        status: .conflict,
        message: "a command with this id asked for another request to Stripe; send a new command with a new id"
    )

    static let commandsRouteNotFound = Self(
        code: "not_found",
        status: .notFound,
        message: "the commands socket serves POST /commands and GET /commands/{id} only"
    )
    static let commandStatusMethodNotAllowed = Self(
        code: "method_not_allowed",
        status: .methodNotAllowed,
        message: "a command's status is read with GET; commands are sent with POST /commands"
    )
    /// 404: no command has this CloudEvent id.
    static let commandNotFound = Self(
        code: "command_not_found",
        status: .notFound,
        message: "no command has this CloudEvent id (1 to 255 printable ASCII characters without spaces,"
            + " percent-encoded in the path)"
    )
    /// 503: the store cannot be read now.
    static let commandStoreUnreadable = Self(
        code: "store_unavailable",
        status: .serviceUnavailable,
        message: "the store cannot be read now; ask again",
        retryAfterSeconds: 1
    )
    static let commandsMethodNotAllowed = Self(
        code: "method_not_allowed",
        status: .methodNotAllowed,
        message: "commands are sent with POST"
    )
    static let commandsUnsupportedMediaType = Self(
        code: "unsupported_media_type",
        status: .unsupportedMediaType,
        message: "the body must be application/cloudevents+json (or application/json): one CloudEvent"
    )
    static let commandTooLarge = Self(
        code: "payload_too_large",
        status: .payloadTooLarge,
        message: "a command is at most \(StripeCommand.maximumBodyBytes / 1024) KiB"
    )
    static let commandStoreOverloaded = Self(
        code: "store_overloaded",
        status: .serviceUnavailable,
        message: "too many writes are waiting to be stored; send the command again",
        retryAfterSeconds: 1
    )
    static let commandStoreUnavailable = Self(
        code: "store_unavailable",
        status: .serviceUnavailable,
        message: "the command could not be stored; send it again",
        retryAfterSeconds: 5
    )
}
