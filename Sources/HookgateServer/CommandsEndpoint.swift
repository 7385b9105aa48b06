public import Foundation
public import HookgateCore
public import HookgateStore
public import NIOHTTP1

/// The commands socket's routes: `POST /commands` checks a CloudEvent (``StripeCommand/parse(_:)``), builds its
/// request to Stripe's API and appends it to the store, `202` only once the store committed it;
/// `GET /commands/{id}` answers where the command with that CloudEvent id stands (``status(commandID:)``).
public struct CommandsEndpoint: Sendable {
    /// An answer: the status, a JSON body, the outcome for logs and metrics (`accepted`, `duplicate`, `found` or
    /// an error code) and the command, when the body was one.
    public struct Answer: Sendable {
        /// The HTTP status.
        public var status: HTTPResponseStatus
        /// The JSON body.
        public var body: String
        /// `accepted`, `duplicate`, `found` (a status lookup) or the error code.
        public var outcome: String
        /// Seconds for a `Retry-After` header (a 503), if any.
        public var retryAfterSeconds: Int?
        /// The command, once the body parsed as one.
        public var command: StripeCommand?
        /// The CloudEvent id asked about, for an answer of `GET /commands/{id}`.
        public var lookedUpID: String?
        /// The `Allow` header of a `405`.
        public var allowedMethod: String?
    }

    /// The path commands are posted to; `GET` on `path/{CloudEvent id}` answers a command's status.
    public static let path = "/commands"

    /// What a request head asks for.
    private enum Route {
        /// `POST /commands`: the body is a command.
        case submit
        /// `GET /commands/{id}`, the id as sent (percent-encoded).
        case status(encodedID: String)
        /// Answered without a body.
        case refused(Answer)
    }

    let store: any CommandStore
    private let clock: @Sendable () -> Date

    /// Creates the route over `store`; `clock` stamps each command's receipt.
    public init(store: any CommandStore, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = clock
    }

    /// The answer to a request whose head passed ``check(_:)``, with its whole body.
    public func answer(to head: HTTPRequestHead, body: [UInt8]) async -> Answer {
        switch Self.route(head) {
        case .submit: await self.submit(body)
        case .status(let encodedID):
            if let commandID = encodedID.removingPercentEncoding, StripeCommand.isValidID(commandID) {
                await self.status(commandID: commandID)
            } else {
                // No command has this id: a bad escape, or not what StripeCommand accepts.
                Self.answer(.commandNotFound, lookedUpID: encodedID)
            }
        case .refused(let answer): answer
        }
    }

    /// `POST /commands`: stores the command in `body`.
    private func submit(_ body: [UInt8]) async -> Answer {
        let command: StripeCommand
        do {
            command = try StripeCommand.parse(body)
        } catch {
            let refusal: ErrorResponse =
                error.kind == .malformedJSON ? .malformedCommand(error) : .invalidCommand(error)
            return Self.answer(refusal)
        }
        let new = NewCommand(
            commandID: command.id,
            kind: command.kind.rawValue,
            source: command.source,
            subject: command.subject,
            receivedAt: self.clock(),
            body: Data(body),
            request: StripeRequest(
                method: command.method,
                path: command.path,
                form: Data(command.form),
                idempotencyKey: command.idempotencyKey
            )
        )
        let result: CommandAppendResult
        do {
            result = try await self.store.appendCommand(new)
        } catch {
            var answer = Self.answer(
                error.code == .storeOverloaded ? .commandStoreOverloaded : .commandStoreUnavailable
            )
            answer.command = command
            return answer
        }
        var answer: Answer
        switch result {
        case .stored(let id), .duplicate(let id):
            let duplicate = if case .duplicate = result { true } else { false }
            answer = Answer(
                status: .accepted,
                body:
                    #"{"id":"\#(JSONString.escaped(command.id))","command":\#(id.rawValue),"duplicate":\#(duplicate)}"#,
                outcome: duplicate ? "duplicate" : "accepted"
            )
        case .conflict:
            answer = Self.answer(.commandConflict)
        }
        answer.command = command
        return answer
    }

    /// The refusal of a request head that needs no body: 404 for another path, 405 for another method, 415
    /// for another media type, 413 for a declared length over the limit; nil when the body should be read.
    public static func check(_ head: HTTPRequestHead) -> Answer? {
        if case .refused(let answer) = Self.route(head) { answer } else { nil }
    }

    private static func route(_ head: HTTPRequestHead) -> Route {
        let path = head.uri.utf8.firstIndex(of: UInt8(ascii: "?")).map { String(head.uri[..<$0]) } ?? head.uri
        if path.hasPrefix(Self.path + "/") {
            guard head.method == .GET else {
                var refusal = Self.answer(.commandStatusMethodNotAllowed)
                refusal.allowedMethod = "GET"
                return .refused(refusal)
            }
            return .status(encodedID: String(path.dropFirst(Self.path.count + 1)))
        }
        guard path == Self.path else { return .refused(Self.answer(.commandsRouteNotFound)) }
        guard head.method == .POST else {
            var refusal = Self.answer(.commandsMethodNotAllowed)
            refusal.allowedMethod = "POST"
            return .refused(refusal)
        }
        guard let contentType = head.headers.first(name: "content-type"), Self.isCommandMediaType(contentType) else {
            return .refused(Self.answer(.commandsUnsupportedMediaType))
        }
        if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }),
            length > StripeCommand.maximumBodyBytes
        {
            return .refused(Self.answer(.commandTooLarge))
        }
        return .submit
    }

    /// The answer to a body larger than ``StripeCommand/maximumBodyBytes`` (sent without a declared length).
    public static let tooLarge = Self.answer(.commandTooLarge)

    /// `application/cloudevents+json` or `application/json`, any case, with any parameters.
    static func isCommandMediaType(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        let trimmed = mediaType.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed == "application/cloudevents+json" || trimmed == "application/json"
    }

    static func answer(_ error: ErrorResponse, lookedUpID: String? = nil) -> Answer {
        Answer(
            status: error.status,
            body: error.body,
            outcome: error.code,
            retryAfterSeconds: error.retryAfterSeconds,
            lookedUpID: lookedUpID
        )
    }
}
