import GRDB

extension StoreError {
    /// Turns an error of the SQLite layer into a `storeUnavailable` error that names only the
    /// SQLite result code and message (never SQL arguments, so never a body or header).
    static func unavailable(from error: any Error, file: String = #fileID, line: Int = #line) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case let error as DatabaseError:
            let message = error.message.map { ", \($0)" } ?? ""
            return .storeUnavailable(
                detail: "SQLite error \(error.extendedResultCode.rawValue)\(message)",
                file: file,
                line: line
            )
        case is CancellationError:
            return .storeUnavailable(detail: "cancelled", file: file, line: line)
        default:
            return .storeUnavailable(detail: "\(type(of: error))", file: file, line: line)
        }
    }
}
