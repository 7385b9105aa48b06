/// What an endpoint's delivery worker sends to the upstream socket.
public enum ForwardMode: String, Sendable, Hashable, CaseIterable {
    /// CloudEvents of the payment catalog (`application/cloudevents+json`), per the endpoint's mapping.
    case normalized
    /// The verified original body and content type, untouched (a reverse proxy).
    case raw
}
