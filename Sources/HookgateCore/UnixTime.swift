/// Unix time formatting without Foundation.
public enum UnixTime {
    /// `seconds` since 1970 as RFC 3339 in UTC, e.g. `2026-11-26T07:16:53Z`.
    public static func rfc3339(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil-from-days (H. Hinnant), valid over the proleptic Gregorian calendar.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3_600)):\(two(secondOfDay % 3_600 / 60))"
            + ":\(two(secondOfDay % 60))Z"
    }

    /// `milliseconds` since 1970 as RFC 3339 in UTC with three decimals, e.g. `2026-11-26T07:16:53.123Z`.
    public static func rfc3339(milliseconds: Int64) -> String {
        let (seconds, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (whole, fraction) = remainder < 0 ? (seconds - 1, remainder + 1000) : (seconds, remainder)
        let digits = String(fraction)
        return String(Self.rfc3339(whole).dropLast()) + "." + String(repeating: "0", count: 3 - digits.count)
            + digits + "Z"
    }
}
