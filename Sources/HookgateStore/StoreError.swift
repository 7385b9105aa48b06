/// An error from a ``DeliveryStore``. Extensible: new codes can be added without breaking callers.
///
/// Descriptions hold the code and a short, non-sensitive detail (e.g. an SQLite result code),
/// never a body, header or secret.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, bounded identifier, usable as a metric dimension or an HTTP error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case storeOverloaded = "store_overloaded"
            case storeUnavailable = "store_unavailable"
            case deliveryNotFound = "delivery_not_found"
            case deliveryBusy = "delivery_busy"
            case leaseLost = "lease_lost"
            case invalidConfiguration = "invalid_store_configuration"
            case incompatibleSchema = "incompatible_store_schema"
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The append queue is full; try again later (the gateway answers 503 with `Retry-After`).
        public static let storeOverloaded = Code(.storeOverloaded)
        /// The store could not write or read (disk full, read-only, I/O error, closed). Nothing was acknowledged.
        public static let storeUnavailable = Code(.storeUnavailable)
        /// No delivery has this id.
        public static let deliveryNotFound = Code(.deliveryNotFound)
        /// The delivery is leased by a worker right now, so it cannot be requeued.
        public static let deliveryBusy = Code(.deliveryBusy)
        /// The lease expired and the delivery was claimed again or changed; the attempt was not recorded.
        public static let leaseLost = Code(.leaseLost)
        /// The store configuration is invalid (e.g. a retention window under three days).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The database was migrated by a newer version of Hookgate.
        public static let incompatibleSchema = Code(.incompatibleSchema)

        /// The stable string, e.g. `store_unavailable`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// A short, non-sensitive explanation, if any.
    public let detail: String?
    /// Where the error was made.
    public let file: String
    /// Where the error was made.
    public let line: Int

    init(_ code: Code, detail: String?, file: String, line: Int) {
        self.code = code
        self.detail = detail
        self.file = file
        self.line = line
    }

    public var description: String {
        if let detail { "\(code): \(detail)" } else { code.description }
    }

    /// See ``Code/storeOverloaded``.
    public static func storeOverloaded(detail: String? = nil, file: String = #fileID, line: Int = #line) -> Self {
        Self(.storeOverloaded, detail: detail, file: file, line: line)
    }

    /// See ``Code/storeUnavailable``.
    public static func storeUnavailable(detail: String? = nil, file: String = #fileID, line: Int = #line) -> Self {
        Self(.storeUnavailable, detail: detail, file: file, line: line)
    }

    /// See ``Code/deliveryNotFound``.
    public static func deliveryNotFound(_ id: DeliveryID, file: String = #fileID, line: Int = #line) -> Self {
        Self(.deliveryNotFound, detail: "delivery \(id)", file: file, line: line)
    }

    /// See ``Code/deliveryBusy``.
    public static func deliveryBusy(_ id: DeliveryID, file: String = #fileID, line: Int = #line) -> Self {
        Self(.deliveryBusy, detail: "delivery \(id)", file: file, line: line)
    }

    /// See ``Code/leaseLost``.
    public static func leaseLost(_ id: DeliveryID, file: String = #fileID, line: Int = #line) -> Self {
        Self(.leaseLost, detail: "delivery \(id)", file: file, line: line)
    }

    /// See ``Code/invalidConfiguration``.
    public static func invalidConfiguration(_ detail: String, file: String = #fileID, line: Int = #line) -> Self {
        Self(.invalidConfiguration, detail: detail, file: file, line: line)
    }

    /// See ``Code/incompatibleSchema``.
    public static func incompatibleSchema(detail: String? = nil, file: String = #fileID, line: Int = #line) -> Self {
        Self(.incompatibleSchema, detail: detail, file: file, line: line)
    }
}
