import ArgumentParser
import HookgateStore

/// Finds the one delivery a command names: a delivery id, or an event id (with its endpoint when several
/// endpoints received it).
enum DeliveryLookup {
    /// The delivery `reference` names.
    /// - Throws: ``ExitCode`` 1 when none matches or the store fails (said on standard error), a usage error
    ///   when an event id matches deliveries of several endpoints.
    static func find(
        _ reference: String,
        endpoint: String?,
        in reader: any DeliveryReader,
        command: String
    ) async throws -> DeliveryInspection {
        let found: [DeliveryInspection]
        do {
            if let id = Int64(reference) {
                found = try await reader.inspection(of: DeliveryID(id)).map { [$0] } ?? []
            } else {
                found = try await reader.inspections(eventID: reference, endpoint: endpoint)
            }
        } catch {
            StandardError.write("hookgate \(command): \(error)")
            throw ExitCode(1)
        }
        guard let inspection = found.first else {
            let at = endpoint.map { " at endpoint \($0)" } ?? ""
            StandardError.write("hookgate \(command): no delivery \(reference)\(at)")
            throw ExitCode(1)
        }
        guard found.count == 1 else {
            let choices = found.map { "\($0.detail.record.id) (\($0.detail.record.received.endpoint))" }
            throw ValidationError(
                "\(reference) was received by \(found.count) endpoints: deliveries "
                    + choices.joined(separator: ", ") + "; give a delivery id or --endpoint"
            )
        }
        return inspection
    }
}
