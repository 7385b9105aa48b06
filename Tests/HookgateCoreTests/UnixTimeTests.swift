import HookgateCore
import Testing

/// RFC 3339 with milliseconds, as the store's listings, the sink, the commands socket and the emulator print
/// instants: three decimals always, and times before 1970 counted down from the previous second.
struct UnixTimeTests {
    @Test(
        arguments: [
            (0, "1970-01-01T00:00:00.000Z"),
            (1_764_141_413_005, "2025-11-26T07:16:53.005Z"),
            (1_764_141_413_120, "2025-11-26T07:16:53.120Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
        ] as [(Int64, String)]
    )
    func millisecondsAreWrittenWithThreeDecimals(_ milliseconds: Int64, _ expected: String) {
        #expect(UnixTime.rfc3339(milliseconds: milliseconds) == expected)
    }
}
