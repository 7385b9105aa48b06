import GRDB

extension SQLiteDeliveryStore {
    /// Every schema change, in order. Never edit a registered migration; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 deliveries and attempts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE delivery (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        endpoint TEXT NOT NULL,
                        event_id TEXT NOT NULL,
                        event_type TEXT NOT NULL,
                        event_created_ms INTEGER NOT NULL,
                        received_at_ms INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        signature_header TEXT,
                        content_type TEXT,
                        user_agent TEXT,
                        request_id TEXT,
                        peer_address TEXT,
                        key_label TEXT,
                        routed BOOLEAN NOT NULL,
                        state TEXT NOT NULL
                            CHECK (state IN ('pending', 'delivering', 'delivered', 'skipped', 'dead')),
                        attempt_count INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at_ms INTEGER,
                        lease_token TEXT,
                        lease_expires_at_ms INTEGER,
                        last_error TEXT,
                        replay_count INTEGER NOT NULL DEFAULT 0,
                        updated_at_ms INTEGER NOT NULL,
                        UNIQUE (endpoint, event_id)
                    );
                    -- The work queue: pending rows by due time, delivering rows by lease expiry
                    -- (next_attempt_at_ms holds the lease expiry while delivering).
                    CREATE INDEX delivery_due ON delivery (next_attempt_at_ms)
                        WHERE state IN ('pending', 'delivering');
                    CREATE INDEX delivery_received ON delivery (received_at_ms);
                    CREATE TABLE delivery_attempt (
                        delivery_id INTEGER NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
                        number INTEGER NOT NULL,
                        replay_generation INTEGER NOT NULL,
                        started_at_ms INTEGER NOT NULL,
                        duration_us INTEGER NOT NULL,
                        upstream_status INTEGER,
                        error TEXT,
                        PRIMARY KEY (delivery_id, number)
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v2 preparation, ordering and facts") { db in
            try db.execute(
                sql: """
                    -- Set when the worker prepared the delivery (normalized it, claimed its facts). Rows
                    -- appended before are prepared on their next claim.
                    ALTER TABLE delivery ADD COLUMN prepared_at_ms INTEGER;
                    -- Deliveries of one ordering key (a payment) are forwarded one at a time, by event time.
                    ALTER TABLE delivery ADD COLUMN ordering_key TEXT;
                    ALTER TABLE delivery ADD COLUMN catalog_type TEXT;
                    ALTER TABLE delivery ADD COLUMN subject TEXT;
                    -- Why a prepared delivery is not forwarded (unmapped, superseded, duplicate fact, ...).
                    ALTER TABLE delivery ADD COLUMN skip_reason TEXT;
                    CREATE INDEX delivery_unprepared ON delivery (id)
                        WHERE prepared_at_ms IS NULL AND state IN ('pending', 'delivering');
                    CREATE INDEX delivery_ordering ON delivery (ordering_key, event_created_ms, id)
                        WHERE ordering_key IS NOT NULL AND state IN ('pending', 'delivering');
                    -- What the worker sends for a prepared delivery, in order; none means the raw body.
                    CREATE TABLE delivery_message (
                        delivery_id INTEGER NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        content_type TEXT NOT NULL,
                        body BLOB NOT NULL,
                        PRIMARY KEY (delivery_id, position)
                    ) WITHOUT ROWID;
                    -- Facts already forwarded (e.g. 'payment-succeeded:pi_123'), each by one delivery only.
                    CREATE TABLE delivery_fact (
                        fact_key TEXT PRIMARY KEY,
                        delivery_id INTEGER NOT NULL REFERENCES delivery (id) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    CREATE INDEX delivery_fact_delivery ON delivery_fact (delivery_id);
                    """
            )
        }
        migrator.registerMigration("v3 unprepared deliveries by receipt") { db in
            try db.execute(
                sql: """
                    -- The worker reads unprepared deliveries oldest received first (ids need not follow receipt
                    -- order with several writers): the index keeps them in that order, so no read sorts them.
                    DROP INDEX delivery_unprepared;
                    CREATE INDEX delivery_unprepared ON delivery (received_at_ms, id)
                        WHERE prepared_at_ms IS NULL AND state IN ('pending', 'delivering');
                    """
            )
        }
        migrator.registerMigration("v4 bodies in a table of their own") { db in
            try db.execute(
                sql: """
                    -- A delivery's raw body, apart from its row. The row is rewritten whenever its state changes
                    -- (prepared, leased, attempted); with a 2.5 KB body inside, every such rewrite wrote a page of
                    -- WAL for one row and the checkpoint copied it again. The body is written once, here.
                    CREATE TABLE delivery_body (
                        delivery_id INTEGER PRIMARY KEY REFERENCES delivery (id) ON DELETE CASCADE,
                        body BLOB NOT NULL
                    );
                    INSERT INTO delivery_body (delivery_id, body) SELECT id, body FROM delivery;
                    ALTER TABLE delivery DROP COLUMN body;
                    """
            )
        }
        migrator.registerMigration("v5 indexes of the dashboard's reads") { db in
            try db.execute(
                sql: """
                    -- Newest-first lists, pages and counts by each filter, without a scan or a sort (an SQLite
                    -- index ends with the rowid, the id: the order (received_at_ms, id) of every list).
                    CREATE INDEX delivery_state_received ON delivery (state, received_at_ms);
                    CREATE INDEX delivery_endpoint_received ON delivery (endpoint, received_at_ms);
                    CREATE INDEX delivery_type_received ON delivery (event_type, received_at_ms);
                    CREATE INDEX delivery_catalog_received ON delivery (catalog_type, received_at_ms);
                    CREATE INDEX delivery_subject_received ON delivery (subject, received_at_ms)
                        WHERE subject IS NOT NULL;
                    -- The dedup key (endpoint, event_id) does not find an event id of every endpoint.
                    CREATE INDEX delivery_event ON delivery (event_id);
                    -- Delivered per minute and the received -> delivered latency: a delivered row's update time is
                    -- when it was delivered. Covering (state included: SQLite 3.40 does not count a partial
                    -- index's condition as covered).
                    CREATE INDEX delivery_delivered ON delivery (updated_at_ms, received_at_ms, replay_count, state)
                        WHERE state = 'delivered';
                    """
            )
        }
        migrator.registerMigration("v6 origin of reconciled deliveries") { db in
            try db.execute(
                sql: """
                    -- NULL for a webhook; 'reconciled' for an event fetched from the provider's API by `hookgate
                    -- reconcile`. A nullable column without a default: adding it rewrites no row, and no index
                    -- holds it, so a webhook append maintains nothing more.
                    ALTER TABLE delivery ADD COLUMN origin TEXT CHECK (origin IN ('reconciled'));
                    """
            )
        }
        migrator.registerMigration("v7 commands to Stripe's API and their attempts") { db in
            try db.execute(
                sql: """
                    -- Commands of the payment system (payment-requested, refund-requested), each sent to Stripe's API
                    -- until Stripe answers it. command_id is the CloudEvent id: the dedup key and the Idempotency-Key.
                    -- The request (method, path, form, key) is built once at receipt and sent as is on every attempt.
                    CREATE TABLE commands (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        command_id TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL,
                        source TEXT NOT NULL,
                        subject TEXT,
                        received_at_ms INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        request_method TEXT NOT NULL,
                        request_path TEXT NOT NULL,
                        request_form BLOB NOT NULL,
                        idempotency_key TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'dead')),
                        attempt_count INTEGER NOT NULL DEFAULT 0,
                        -- When the next attempt is due while pending; the lease expiry while delivering.
                        due_at_ms INTEGER,
                        lease_token TEXT,
                        lease_expires_at_ms INTEGER,
                        last_status INTEGER,
                        last_error TEXT,
                        stripe_object_id TEXT,
                        stripe_object_status TEXT,
                        updated_at_ms INTEGER NOT NULL
                    );
                    -- The claim: pending rows by due time, delivering rows by lease expiry.
                    CREATE INDEX commands_due ON commands (due_at_ms) WHERE state IN ('pending', 'delivering');
                    -- Newest-first lists and pages by each filter (an SQLite index ends with the rowid, the id).
                    CREATE INDEX commands_received ON commands (received_at_ms);
                    CREATE INDEX commands_state_received ON commands (state, received_at_ms);
                    CREATE INDEX commands_kind_received ON commands (kind, received_at_ms);
                    CREATE INDEX commands_subject_received ON commands (subject, received_at_ms)
                        WHERE subject IS NOT NULL;
                    CREATE INDEX commands_stripe_object ON commands (stripe_object_id, received_at_ms)
                        WHERE stripe_object_id IS NOT NULL;
                    CREATE TABLE command_attempts (
                        command INTEGER NOT NULL REFERENCES commands (id) ON DELETE CASCADE,
                        number INTEGER NOT NULL,
                        started_at_ms INTEGER NOT NULL,
                        duration_us INTEGER NOT NULL,
                        status INTEGER,
                        request_id TEXT,
                        idempotent_replayed BOOLEAN NOT NULL,
                        response BLOB,
                        error TEXT,
                        PRIMARY KEY (command, number)
                    ) WITHOUT ROWID;
                    """
            )
        }
        return migrator
    }
}
