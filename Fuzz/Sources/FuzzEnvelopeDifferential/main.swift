import FuzzDriver
import Glibc
import HookgateCore

/// The ingress's one-pass envelope reader against the strict parser the worker uses later.
///
/// Whenever the strict parser accepts the bytes, both must agree on the event: the same id, type, created
/// and livemode, or both refuse it (not an object, a member missing or of the wrong type). Where the strict
/// parser refuses, the envelope reader may still accept: by design it does not validate the nested values it
/// skips (the worker parses the whole event later), so those inputs are not compared. A UTF-8 byte order mark
/// is skipped by the strict parser only; Stripe never sends one, and such inputs are not compared either.
exit(
    runFuzzer { data, count in
        let bytes = Array(UnsafeBufferPointer(start: data, count: count))
        guard !bytes.starts(with: [0xEF, 0xBB, 0xBF]), let value = try? JSONValueParser.parse(bytes) else { return 0 }
        let envelope = bytes.withUnsafeBytes { EventEnvelope.read($0) }
        let expected = expectedEnvelope(of: value)
        guard envelope == expected else {
            fatalError(
                "envelope \(String(describing: envelope)) but the strict parser reads \(String(describing: expected)) "
                    + "in \(String(decoding: bytes, as: UTF8.self))"
            )
        }
        return 0
    }
)

/// The envelope the strict parser's value describes, or nil when it is no event.
private func expectedEnvelope(of value: JSONValue) -> EventEnvelope? {
    guard case .object = value, case .string(let id)? = value["id"], !id.isEmpty, !id.utf8.contains(0),
        case .string(let type)? = value["type"], !type.utf8.contains(0)
    else { return nil }
    let created: Int64
    switch value["created"] {
    case .integer(let seconds)?: created = seconds
    case .string(let time)?:
        guard let seconds = UnixTime.parseRFC3339(time) else { return nil }
        created = seconds
    default: return nil
    }
    let livemode: Bool?
    switch value["livemode"] {
    case nil: livemode = nil
    case .bool(let flag)?: livemode = flag
    default: return nil
    }
    return EventEnvelope(id: id, type: type, created: created, livemode: livemode)
}
