import HookgateCore
import HookgateServer

/// The admin API's answers: JSON, and errors as `{"error":"<code>","message":"..."}` with stable codes.
enum AdminAPIResponses {
    /// `value` as compact JSON with `status`.
    static func json(_ status: Int, _ value: JSONValue) -> AdminResponse {
        AdminResponse(status: status, body: Array(value.serialized().utf8))
    }

    /// An error answer: `code` is stable (scripts and the dashboard read it), `message` says what to change.
    static func error(_ status: Int, _ code: String, _ message: String) -> AdminResponse {
        json(
            status,
            .object([.init(key: "error", value: .string(code)), .init(key: "message", value: .string(message))])
        )
    }

    /// 405 for a method the path does not take.
    static func methodNotAllowed(_ request: AdminRequest) -> AdminResponse {
        error(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path)")
    }
}
