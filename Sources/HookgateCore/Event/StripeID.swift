/// The syntax of Stripe's object ids (`pi_3Qm...`, `acct_1Nv...`), checked before an id goes into a form, a
/// request path or a header as it is.
public enum StripeID {
    /// Whether `text` is `prefix` and then 1 to 255 bytes in all of ASCII letters, digits and `_`.
    public static func isValid(_ text: String, prefix: String) -> Bool {
        text.hasPrefix(prefix) && text.utf8.count > prefix.utf8.count && text.utf8.count <= 255
            && text.utf8.dropFirst(prefix.utf8.count).allSatisfy(Self.isIDByte)
    }

    /// A letter, a digit or `_`.
    private static func isIDByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }
}
