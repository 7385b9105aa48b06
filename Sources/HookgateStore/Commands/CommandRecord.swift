public import Foundation

/// One stored command and where it stands.
public struct CommandRecord: Hashable, Sendable {
    /// The store's id.
    public var id: CommandID
    /// The command as received.
    public var received: NewCommand
    /// `pending` (waiting for its first attempt or a retry), `delivering` (an attempt holds a lease),
    /// `delivered` (Stripe answered 2xx) or `dead` (Stripe refused it, or retries gave up). Never `skipped`.
    public var state: DeliveryState
    /// Attempts made so far.
    public var attemptCount: Int
    /// When the next attempt is due (pending only).
    public var nextAttemptAt: Date?
    /// When the current lease expires (delivering only).
    public var leaseExpiresAt: Date?
    /// Stripe's HTTP status in the last attempt, if it answered.
    public var lastStatus: Int?
    /// Why the last attempt failed (Stripe's error type, code and message, or the network error).
    public var lastError: String?
    /// The object Stripe's answer named, once one did.
    public var stripeObject: StripeObjectReference?
    /// When the record last changed.
    public var updatedAt: Date

    /// Creates a record (backends build these from their rows).
    public init(
        id: CommandID,
        received: NewCommand,
        state: DeliveryState,
        attemptCount: Int = 0,
        nextAttemptAt: Date? = nil,
        leaseExpiresAt: Date? = nil,
        lastStatus: Int? = nil,
        lastError: String? = nil,
        stripeObject: StripeObjectReference? = nil,
        updatedAt: Date
    ) {
        self.id = id
        self.received = received
        self.state = state
        self.attemptCount = attemptCount
        self.nextAttemptAt = nextAttemptAt
        self.leaseExpiresAt = leaseExpiresAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.stripeObject = stripeObject
        self.updatedAt = updatedAt
    }
}

/// An object of Stripe's API as its answer named it: `pi_...` with status `succeeded`, `re_...` with `pending`.
public struct StripeObjectReference: Hashable, Sendable {
    /// The object's id.
    public var id: String
    /// Its `status` in the answer, if it had one.
    public var status: String?

    /// Creates a reference.
    public init(id: String, status: String?) {
        self.id = id
        self.status = status
    }
}

/// A command with every attempt.
public struct CommandDetail: Hashable, Sendable {
    /// The command.
    public var record: CommandRecord
    /// Its attempts, oldest first.
    public var attempts: [CommandAttempt]

    /// Creates a detail.
    public init(record: CommandRecord, attempts: [CommandAttempt]) {
        self.record = record
        self.attempts = attempts
    }
}

/// One recorded request to Stripe's API and its answer.
public struct CommandAttempt: Hashable, Sendable {
    /// 1 for the first attempt of the command.
    public var number: Int
    /// What happened.
    public var report: CommandAttemptReport

    /// Creates a stored attempt (backends build these from their rows).
    public init(number: Int, report: CommandAttemptReport) {
        self.number = number
        self.report = report
    }
}

/// What the command worker reports about one request to Stripe's API (the request itself is the command's
/// ``NewCommand/request``, the same on every attempt).
public struct CommandAttemptReport: Hashable, Sendable {
    /// The most bytes of an answer's body that are kept; a longer body is cut there.
    public static let maximumResponseBytes = 64 << 10

    /// When the request was sent.
    public var startedAt: Date
    /// How long it took.
    public var duration: Duration
    /// Stripe's HTTP status, if it answered.
    public var status: Int?
    /// Stripe's `Request-Id` header, for Stripe's support.
    public var requestID: String?
    /// Whether Stripe answered `Idempotent-Replayed: true`: the answer is the one saved for an earlier request
    /// with the same key, nothing was done again.
    public var idempotentReplayed: Bool
    /// The answer's body (a JSON object), at most ``maximumResponseBytes``; nil when none came.
    public var response: Data?
    /// Why it failed, if it did (Stripe's error, or the network error); never the API key.
    public var error: String?

    /// Creates a report.
    public init(
        startedAt: Date,
        duration: Duration,
        status: Int? = nil,
        requestID: String? = nil,
        idempotentReplayed: Bool = false,
        response: Data? = nil,
        error: String? = nil
    ) {
        self.startedAt = startedAt
        self.duration = duration
        self.status = status
        self.requestID = requestID
        self.idempotentReplayed = idempotentReplayed
        self.response = response
        self.error = error
    }
}

/// A command claimed by the worker until ``expiresAt``. Only the holder can complete the attempt.
public struct CommandLease: Hashable, Sendable {
    /// The claimed command (state `delivering`).
    public var record: CommandRecord
    /// The secret of this claim: a later claim after expiry gets a different token.
    public var token: String
    /// When the lease expires and the command becomes claimable again.
    public var expiresAt: Date

    /// Creates a lease (backends build these when claiming).
    public init(record: CommandRecord, token: String, expiresAt: Date) {
        self.record = record
        self.token = token
        self.expiresAt = expiresAt
    }
}
