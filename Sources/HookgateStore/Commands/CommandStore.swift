public import Foundation

/// Every read of stored commands (payment-requested and refund-requested on their way to Stripe's API): what
/// `hookgate commands`, the admin API and the dashboard show. Each call reads one consistent snapshot; lists are
/// ordered by the received time with the id as a tiebreak (``CommandCursor``), never by id alone. All errors
/// thrown are ``StoreError``.
public protocol CommandReader: Sendable {
    /// Lists commands matching the query, newest first (latest received, then the larger id), up to its limit.
    func commands(matching query: CommandQuery) async throws(StoreError) -> [CommandRecord]

    /// Counts the commands matching the query's filters (its limit and cursor are ignored).
    func countCommands(matching query: CommandQuery) async throws(StoreError) -> Int

    /// One command with every attempt (request and Stripe's answer), or nil.
    func command(_ id: CommandID) async throws(StoreError) -> CommandDetail?

    /// The command with this CloudEvent id, with every attempt, or nil.
    func command(commandID: String) async throws(StoreError) -> CommandDetail?
}

/// Durable storage of commands to Stripe's API: the gateway's promise that an accepted command (`202`) is
/// kept and sent until Stripe answers it, with the same `Idempotency-Key` every time.
///
/// Like ``DeliveryStore`` it takes and returns plain values and never calls the worker; every method that
/// replicas sharing one database could race on is one transaction (claims skip rows another replica holds).
/// A backend that implements it is also a ``DeliveryStore`` and shares its connections and ``Service`` life:
/// appends wait until it runs and are refused once it closed.
public protocol CommandStore: CommandReader {
    /// Stores a command unless one with the same CloudEvent id was stored before; returns once committed.
    ///
    /// The lookup and the insert are one transaction. A command with a stored id is a duplicate when it asks
    /// for the same Stripe request (method, path, form body) and a conflict otherwise; nothing is written then.
    /// - Throws: ``StoreError/Code/storeOverloaded`` (nothing was stored) or
    ///   ``StoreError/Code/storeUnavailable``: nothing was stored, or, on PostgreSQL, the commit landed after the
    ///   operation's timeout. Appending the command again tells which: it is then a duplicate.
    func appendCommand(_ command: NewCommand) async throws(StoreError) -> CommandAppendResult

    /// Leases up to `limit` commands that are pending and due (or sending with an expired lease), oldest due
    /// first, in one transaction; a row another replica is claiming is skipped.
    func claimDueCommands(now: Date, leaseDuration: Duration, limit: Int) async throws(StoreError) -> [CommandLease]

    /// Records an attempt (Stripe's answer) and moves the command to the outcome's state (`delivered`,
    /// `pending` for a retry, or `dead`), in one transaction. `stripeObject` is what Stripe's answer named (the
    /// PaymentIntent or Refund, or the PaymentIntent of a declined card); nil keeps what was recorded before.
    /// - Throws: ``StoreError/Code/leaseLost`` when the lease is no longer the command's current one.
    func completeCommandAttempt(
        _ lease: CommandLease,
        report: CommandAttemptReport,
        outcome: AttemptOutcome,
        stripeObject: StripeObjectReference?
    ) async throws(StoreError)

    /// Makes a dead command due again at `now` (`hookgate commands retry`); it keeps its id, attempts and
    /// `Idempotency-Key`.
    /// - Throws: ``StoreError/Code/deliveryNotFound`` when there is no such command, or
    ///   ``StoreError/Code/deliveryBusy`` when it is not dead.
    func requeueCommand(_ id: CommandID, now: Date) async throws(StoreError)

    /// Hints, one element at a time, that commands may have become due: after this process's appends and
    /// requeues. Commands of other replicas and retries coming due are found by polling. Each call returns a new
    /// sequence; it ends when the store closes.
    func commandsAvailable() -> AsyncStream<Void>
}
