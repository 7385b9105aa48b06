import HookgateCore

/// What `hookgate send` posts: fresh events made from a template, or one file's bytes every time.
enum EventSource: Sendable {
    /// Events made from a template (`TYPE`, with `--set`, `--payment-id`, `--live`).
    case template(TestEventFactory)
    /// The same bytes for every event (`--body-file`), sent as they are; only the signature is fresh.
    case fixed(TestEventFactory.Event)

    /// The bytes of `path` (`-` for standard input) as a fixed source; its event id is the top-level `id`.
    /// - Throws: ``UsageError`` when the file cannot be read.
    static func file(_ path: String) throws(UsageError) -> EventSource {
        let body = try InputFile.read(path, limit: InputFile.maximumPayloadBytes, what: "the body file")
        let id = EventEnvelope.read(body)?.id ?? "(no id)"
        return .fixed(TestEventFactory.Event(id: id, body: body))
    }

    /// The next event to send; a template's is created at `created` (Unix seconds).
    /// - Throws: ``UsageError`` when a `--set` path does not fit the template's event.
    func make(created: Int64) throws(UsageError) -> TestEventFactory.Event {
        switch self {
        case .template(let factory): try factory.make(created: created)
        case .fixed(let event): event
        }
    }
}
