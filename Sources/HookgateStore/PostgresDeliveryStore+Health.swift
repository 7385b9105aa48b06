import PostgresNIO

extension PostgresDeliveryStore {
    /// How long a health probe waits for the database: less than a load balancer's check timeout (HAProxy's
    /// example: 3 s), so that a database that is away shows as not ready, not as a probe that timed out.
    static let probeTimeout: Duration = .seconds(2)

    /// Whether a read of the `delivery` table succeeds right now on a pooled connection.
    public func isReadable() async -> Bool {
        do {
            _ = try await pool.rows("SELECT 1 FROM delivery LIMIT 1", limit: Self.probeTimeout, logger: logger)
            return true
        } catch {
            return false
        }
    }

    /// Whether a write transaction can commit right now: the readiness probe of the admin listener.
    ///
    /// It rewrites the one row of `hookgate_probe` and commits (waiting for the WAL flush), so a database that
    /// is down, read-only (a standby, `default_transaction_read_only`) or out of disk shows up as `false`, as it
    /// would fail an append.
    public func isWritable() async -> Bool {
        do {
            _ = try await pool.rows(
                """
                INSERT INTO hookgate_probe (id, probed_at) VALUES (1, now())
                ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at
                """,
                limit: Self.probeTimeout,
                logger: logger
            )
            return true
        } catch {
            return false
        }
    }
}
