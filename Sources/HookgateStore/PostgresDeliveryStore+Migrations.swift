import Logging
import PostgresNIO

/// One schema change of the PostgreSQL store: applied once, in version order, in the transaction that records it.
struct PostgresMigration: Sendable {
    /// Its number; each is one more than the one before.
    var version: Int32
    /// What it does.
    var name: String
    /// Its statements, run in order.
    var statements: [String]
}

extension PostgresDeliveryStore {
    /// The table that records the applied migrations, one row per version.
    static let migrationsTable = "hookgate_schema_migrations"

    /// The advisory lock (class, object) that serializes migrations of replicas starting at the same time.
    static let migrationLock: (Int32, Int32) = (advisoryLockClass, 0)

    /// The class of the advisory locks the store takes per ordering key ("hkgt"; also the migrations' lock), so
    /// they stay apart from other users' locks.
    static let advisoryLockClass: Int32 = 0x686B_6774

    /// The class of the advisory locks the store takes per delivery while applying a preparation ("hkgu").
    static let preparationLockClass: Int32 = 0x686B_6775

    /// Every schema change, in order. Never edit a released migration; add a new one.
    ///
    /// Times are milliseconds since 1970 in `bigint` columns (as in the SQLite store), so both keep the same
    /// millisecond instants. The dedup key is `UNIQUE (event_id, endpoint)`: it answers
    /// `ON CONFLICT (endpoint, event_id)` and also finds every delivery of an event id.
    static let migrations: [PostgresMigration] = [
        PostgresMigration(
            version: 1,
            name: "deliveries, attempts, prepared messages and facts",
            statements: [
                """
                CREATE TABLE delivery (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    endpoint text NOT NULL,
                    event_id text NOT NULL,
                    event_type text NOT NULL,
                    event_created_ms bigint NOT NULL,
                    received_at_ms bigint NOT NULL,
                    body bytea NOT NULL,
                    signature_header text,
                    content_type text,
                    user_agent text,
                    request_id text,
                    peer_address text,
                    key_label text,
                    routed boolean NOT NULL,
                    state text NOT NULL
                        CHECK (state IN ('pending', 'delivering', 'delivered', 'skipped', 'dead')),
                    attempt_count integer NOT NULL DEFAULT 0,
                    next_attempt_at_ms bigint,
                    lease_token text,
                    lease_expires_at_ms bigint,
                    last_error text,
                    replay_count integer NOT NULL DEFAULT 0,
                    updated_at_ms bigint NOT NULL,
                    prepared_at_ms bigint,
                    ordering_key text,
                    catalog_type text,
                    subject text,
                    skip_reason text,
                    CONSTRAINT delivery_dedup UNIQUE (event_id, endpoint)
                )
                """,
                // The work queue: prepared pending rows by due time, delivering rows by lease expiry
                // (next_attempt_at_ms holds the lease expiry while delivering).
                """
                CREATE INDEX delivery_due ON delivery (next_attempt_at_ms, id)
                    WHERE state IN ('pending', 'delivering') AND prepared_at_ms IS NOT NULL
                """,
                // Lists, pages and the retention purge: by receipt, then id.
                "CREATE INDEX delivery_received ON delivery (received_at_ms, id)",
                // What the worker prepares next, oldest received first, without a sort.
                """
                CREATE INDEX delivery_unprepared ON delivery (received_at_ms, id)
                    WHERE prepared_at_ms IS NULL AND state IN ('pending', 'delivering')
                """,
                // One delivery in flight per ordering key, by event time.
                """
                CREATE INDEX delivery_ordering ON delivery (ordering_key, event_created_ms, id)
                    WHERE ordering_key IS NOT NULL AND state IN ('pending', 'delivering')
                """,
                """
                CREATE TABLE delivery_attempt (
                    delivery_id bigint NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
                    number integer NOT NULL,
                    replay_generation integer NOT NULL,
                    started_at_ms bigint NOT NULL,
                    duration_us bigint NOT NULL,
                    upstream_status integer,
                    error text,
                    PRIMARY KEY (delivery_id, number)
                )
                """,
                // What the worker sends for a prepared delivery, in order; none means the raw body.
                """
                CREATE TABLE delivery_message (
                    delivery_id bigint NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
                    position integer NOT NULL,
                    content_type text NOT NULL,
                    body bytea NOT NULL,
                    PRIMARY KEY (delivery_id, position)
                )
                """,
                // Facts already forwarded (e.g. 'payment-succeeded:pi_123'), each by one delivery only: the
                // primary key settles which, across replicas.
                """
                CREATE TABLE delivery_fact (
                    fact_key text PRIMARY KEY,
                    delivery_id bigint NOT NULL REFERENCES delivery (id) ON DELETE CASCADE
                )
                """,
                "CREATE INDEX delivery_fact_delivery ON delivery_fact (delivery_id)",
                // The readiness probe's write (isWritable): one row, rewritten.
                """
                CREATE TABLE hookgate_probe (
                    id integer PRIMARY KEY CHECK (id = 1),
                    probed_at timestamptz NOT NULL
                )
                """,
            ]
        ),
        // pglz took an eighth of the server's CPU under ingest (perf, replicas-vs-postgres); lz4 compresses
        // several times faster. Values already stored keep their compression. A server built without lz4 keeps
        // pglz.
        PostgresMigration(
            version: 2,
            name: "bodies compressed with lz4 where the server has it",
            statements: [
                """
                DO $$
                BEGIN
                    ALTER TABLE delivery ALTER COLUMN body SET COMPRESSION lz4;
                    ALTER TABLE delivery_message ALTER COLUMN body SET COMPRESSION lz4;
                EXCEPTION WHEN feature_not_supported THEN
                    NULL;
                END
                $$
                """
            ]
        ),
        // The dashboard's reads: newest-first lists, pages and counts by each filter without a scan or a sort,
        // delivered per minute and the received -> delivered latency (a delivered row's update time is when it
        // was delivered). On a large table the builds hold off appends until they finish.
        PostgresMigration(
            version: 3,
            name: "indexes of the dashboard's reads",
            statements: [
                "CREATE INDEX delivery_state_received ON delivery (state, received_at_ms, id)",
                "CREATE INDEX delivery_endpoint_received ON delivery (endpoint, received_at_ms, id)",
                "CREATE INDEX delivery_type_received ON delivery (event_type, received_at_ms, id)",
                "CREATE INDEX delivery_catalog_received ON delivery (catalog_type, received_at_ms, id)",
                """
                CREATE INDEX delivery_subject_received ON delivery (subject, received_at_ms, id)
                    WHERE subject IS NOT NULL
                """,
                """
                CREATE INDEX delivery_delivered ON delivery (updated_at_ms) INCLUDE (received_at_ms, replay_count)
                    WHERE state = 'delivered'
                """,
            ]
        ),
        // NULL for a webhook; 'reconciled' for an event fetched from the provider's API by `hookgate reconcile`.
        // A nullable column without a default changes only the catalog (no table rewrite), and no index holds
        // it, so a webhook append maintains nothing more.
        PostgresMigration(
            version: 4,
            name: "origin of reconciled deliveries",
            statements: [
                "ALTER TABLE delivery ADD COLUMN origin text CHECK (origin IN ('reconciled'))"
            ]
        ),
        // Commands of the payment system (payment-requested, refund-requested), each sent to Stripe's API until
        // Stripe answers it. command_id is the CloudEvent id: the dedup key and the Idempotency-Key. The request
        // (method, path, form, key) is built once at receipt and sent as is on every attempt. due_at_ms is when
        // the next attempt is due while pending, the lease expiry while delivering.
        PostgresMigration(
            version: 5,
            name: "commands to Stripe's API and their attempts",
            statements: [
                """
                CREATE TABLE commands (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    command_id text NOT NULL,
                    kind text NOT NULL,
                    source text NOT NULL,
                    subject text,
                    received_at_ms bigint NOT NULL,
                    body bytea NOT NULL,
                    request_method text NOT NULL,
                    request_path text NOT NULL,
                    request_form bytea NOT NULL,
                    idempotency_key text NOT NULL,
                    state text NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'dead')),
                    attempt_count integer NOT NULL DEFAULT 0,
                    due_at_ms bigint,
                    lease_token text,
                    lease_expires_at_ms bigint,
                    last_status integer,
                    last_error text,
                    stripe_object_id text,
                    stripe_object_status text,
                    updated_at_ms bigint NOT NULL,
                    CONSTRAINT commands_command_id UNIQUE (command_id)
                )
                """,
                // The claim: pending rows by due time, delivering rows by lease expiry.
                """
                CREATE INDEX commands_due ON commands (due_at_ms, id) WHERE state IN ('pending', 'delivering')
                """,
                // Newest-first lists, pages and counts by each filter, and the retention purge.
                "CREATE INDEX commands_received ON commands (received_at_ms, id)",
                "CREATE INDEX commands_state_received ON commands (state, received_at_ms, id)",
                "CREATE INDEX commands_kind_received ON commands (kind, received_at_ms, id)",
                """
                CREATE INDEX commands_subject_received ON commands (subject, received_at_ms, id)
                    WHERE subject IS NOT NULL
                """,
                """
                CREATE INDEX commands_stripe_object ON commands (stripe_object_id, received_at_ms, id)
                    WHERE stripe_object_id IS NOT NULL
                """,
                """
                CREATE TABLE command_attempts (
                    command bigint NOT NULL REFERENCES commands (id) ON DELETE CASCADE,
                    number integer NOT NULL,
                    started_at_ms bigint NOT NULL,
                    duration_us bigint NOT NULL,
                    status integer,
                    request_id text,
                    idempotent_replayed boolean NOT NULL,
                    response bytea,
                    error text,
                    PRIMARY KEY (command, number)
                )
                """,
            ]
        ),
    ]

    /// The newest schema version this build knows.
    static var latestVersion: Int32 { migrations.last?.version ?? 0 }

    /// Creates the migrations table if missing and applies the migrations not applied yet, all in one
    /// transaction under an advisory lock, so replicas starting together migrate once.
    /// - Throws: ``StoreError/Code/incompatibleSchema`` when the database has a newer version than this build knows.
    static func migrate(_ connection: PostgresBlockingConnection) throws {
        try connection.inTransaction {
            try connection.run("SELECT pg_advisory_xact_lock(\(migrationLock.0), \(migrationLock.1))")
            try connection.run(
                PostgresQuery(
                    unsafeSQL: """
                        CREATE TABLE IF NOT EXISTS \(migrationsTable) (
                            version integer PRIMARY KEY,
                            name text NOT NULL,
                            applied_at timestamptz NOT NULL DEFAULT now()
                        )
                        """
                )
            )
            let current = try appliedVersion(connection) ?? 0
            guard current <= latestVersion else {
                throw StoreError.incompatibleSchema(detail: "the database has migrations this version does not know")
            }
            for migration in migrations where migration.version > current {
                for statement in migration.statements {
                    try connection.run(PostgresQuery(unsafeSQL: statement))
                }
                try connection.run(
                    "INSERT INTO hookgate_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))"
                )
                connection.logger.info(
                    "store migrated",
                    metadata: [
                        "hookgate.schema_version": "\(migration.version)", "hookgate.migration": "\(migration.name)",
                    ]
                )
            }
        }
    }

    /// Checks, without changing anything, that the database is at exactly this build's schema version.
    /// - Throws: ``StoreError/Code/incompatibleSchema`` when it is newer or not fully migrated.
    static func checkSchema(_ connection: PostgresBlockingConnection) throws {
        guard let current = try appliedVersion(connection), current >= latestVersion else {
            throw StoreError.incompatibleSchema(
                detail: "the database lacks migrations of this version (start serve once to migrate it)"
            )
        }
        guard current == latestVersion else {
            throw StoreError.incompatibleSchema(detail: "the database has migrations this version does not know")
        }
    }

    /// The highest applied version; nil when the migrations table does not exist.
    private static func appliedVersion(_ connection: PostgresBlockingConnection) throws -> Int32? {
        let exists = try connection.rows("SELECT to_regclass('hookgate_schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.makeRandomAccess().value("present", as: Bool.self) == true else { return nil }
        let rows = try connection.rows("SELECT COALESCE(max(version), 0) AS version FROM hookgate_schema_migrations")
        return try rows.first?.makeRandomAccess().value("version", as: Int32.self) ?? 0
    }
}
