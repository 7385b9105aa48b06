import PostgresNIO

extension StoreError {
    /// Turns an error of the PostgreSQL layer into a ``StoreError``: a `storeUnavailable` that names only the
    /// SQLSTATE and the server's primary message, or the kind of client failure. Never a bound value (so
    /// never a body or header), and never a password: connection settings are not part of any of these.
    static func postgres(_ error: any Error, file: String = #fileID, line: Int = #line) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case let error as PSQLError:
            if let state = error.serverInfo?[.sqlState] {
                let message = error.serverInfo?[.message].map { ", \($0)" } ?? ""
                return .storeUnavailable(detail: "PostgreSQL error \(state)\(message)", file: file, line: line)
            }
            let detail =
                switch error.code {
                case .connectionError: "cannot connect to PostgreSQL"
                case .serverClosedConnection, .uncleanShutdown: "PostgreSQL closed the connection"
                case .poolClosed: "the PostgreSQL connection pool is closed"
                case .clientClosedConnection: "the PostgreSQL connection was closed"
                case .queryCancelled: "cancelled"
                default: "PostgreSQL client error \(error.code)"
                }
            return .storeUnavailable(detail: detail, file: file, line: line)
        case let error as PostgresTransactionError:
            let inner = error.beginError ?? error.closureError ?? error.commitError ?? error.rollbackError
            return inner.map { postgres($0, file: file, line: line) }
                ?? .storeUnavailable(detail: "PostgreSQL transaction failed", file: file, line: line)
        case is PostgresDecodingError:
            return .storeUnavailable(detail: "unexpected PostgreSQL column value", file: file, line: line)
        case is CancellationError:
            return .storeUnavailable(detail: "cancelled", file: file, line: line)
        default:
            return .storeUnavailable(detail: "PostgreSQL unreachable (\(type(of: error)))", file: file, line: line)
        }
    }

    /// The SQLSTATE of a server error, e.g. `40P01` for a deadlock.
    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
