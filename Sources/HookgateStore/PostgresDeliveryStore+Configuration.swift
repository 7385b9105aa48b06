import NIOCore
import NIOSSL
import PostgresNIO

extension PostgresDeliveryStore {
    /// Which PostgreSQL database keeps the deliveries, and how the store batches, pools and retains.
    ///
    /// Its descriptions never show the password.
    public struct Configuration: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
        /// The database: `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require|verify-full]`.
        public var url: String
        /// The password, when it does not come from the URL (e.g. read from an environment variable); it wins
        /// over the URL's.
        public var password: String?
        /// How long finished deliveries are kept.
        public var retention: RetentionPolicy
        /// The most appends committed in one transaction (one multi-row insert).
        public var maxBatchSize: Int
        /// The most appends waiting to be committed; beyond it appends fail with `storeOverloaded`.
        public var queueCapacity: Int
        /// The most connections the store opens to the database.
        public var poolSize: Int
        /// How long one database operation may take, waiting for a connection included; past it the operation
        /// fails with ``StoreError/Code/storeUnavailable`` (an append: `503 store_unavailable`).
        public var operationTimeout: Duration

        /// Creates a configuration with the defaults: 30-day retention, batches of 256, a queue of 4,096,
        /// 10 connections, 5 s per operation.
        public init(
            url: String,
            password: String? = nil,
            retention: RetentionPolicy = RetentionPolicy(),
            maxBatchSize: Int = 256,
            queueCapacity: Int = 4096,
            poolSize: Int = 10,
            operationTimeout: Duration = .seconds(5)
        ) {
            self.url = url
            self.password = password
            self.retention = retention
            self.maxBatchSize = maxBatchSize
            self.queueCapacity = queueCapacity
            self.poolSize = poolSize
            self.operationTimeout = operationTimeout
        }

        /// Checks every setting.
        /// - Throws: ``StoreError/Code/invalidConfiguration`` naming the bad setting (never the password).
        public func validate() throws(StoreError) {
            _ = try PostgresConnectionURL(parsing: url)
            try retention.validate()
            guard maxBatchSize > 0 else { throw .invalidConfiguration("maxBatchSize must be positive") }
            guard queueCapacity >= maxBatchSize else {
                throw .invalidConfiguration("queueCapacity must be at least maxBatchSize")
            }
            // Two connections are the committers'; claims and reads need at least one more.
            guard poolSize >= 3 else { throw .invalidConfiguration("poolSize must be at least 3") }
            guard operationTimeout > .zero else { throw .invalidConfiguration("operationTimeout must be positive") }
        }

        /// The database's URL without the password.
        public var description: String {
            (try? PostgresConnectionURL(parsing: url).description) ?? "an invalid PostgreSQL URL"
        }

        public var debugDescription: String { description }

        /// The parsed URL, with ``password`` in place of the URL's when given.
        func connectionURL() throws(StoreError) -> PostgresConnectionURL {
            var parsed = try PostgresConnectionURL(parsing: url)
            if let password { parsed.password = password }
            return parsed
        }
    }
}

extension PostgresConnectionURL {
    /// Settings every connection of the store starts with: each commit waits for its WAL flush (whatever the
    /// server's or role's default), and the server names Hookgate in `pg_stat_activity`.
    static let startupParameters: [(String, String)] = [
        ("synchronous_commit", "on"),
        ("application_name", "hookgate"),
    ]

    /// The configuration of the store's connection pool.
    func clientConfiguration(poolSize: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch sslMode ?? .prefer {
            case .disable: .disable
            case .prefer: .prefer(Self.unverifiedTLS)
            case .require: .require(Self.unverifiedTLS)
            case .verifyFull: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.maximumConnections = poolSize
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = Self.startupParameters
        return configuration
    }

    /// The configuration of one connection outside the pool (migrations, the read-only reader); `readOnly`
    /// makes every transaction on it read-only.
    func connectionConfiguration(readOnly: Bool) throws(StoreError) -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        do {
            tls =
                switch sslMode ?? .prefer {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: Self.unverifiedTLS))
                case .require: .require(try NIOSSLContext(configuration: Self.unverifiedTLS))
                case .verifyFull: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
        } catch {
            throw .invalidConfiguration("cannot set up TLS for PostgreSQL (\(type(of: error)))")
        }
        var configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters =
            Self.startupParameters + (readOnly ? [("default_transaction_read_only", "on")] : [])
        return configuration
    }

    /// TLS that encrypts without checking the certificate, as libpq's `prefer` and `require` do.
    private static var unverifiedTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }
}
