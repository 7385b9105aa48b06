import GRDB

extension SQLiteDeliveryStore {
    /// Every schema change, in order. Never edit a registered migration; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 deliveries and attempts") { db in
            try db.execute(sql: """
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
                """)
        }
        return migrator
    }
}
