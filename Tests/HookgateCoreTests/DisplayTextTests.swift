import HookgateCore
import Testing

/// Text from requests shown in a log line or on a terminal: controls escaped, everything else as it was.
struct DisplayTextTests {
    @Test(arguments: [
        ("evt_1", "evt_1"),
        ("", ""),
        ("café — ü 日本 👍", "café — ü 日本 👍"),
        ("a\nb", #"a\nb"#),
        ("a\r\nb\tc", #"a\r\nb\tc"#),
        ("\u{0}\u{1B}[2J\u{7F}", #"\u{0}\u{1B}[2J\u{7F}"#),
        ("next\u{85}line \u{9B}31m", #"next\u{85}line \u{9B}31m"#),
        ("\u{A0}¢", "\u{A0}¢"),
    ])
    func controlsAreEscaped(_ text: String, _ shown: String) {
        #expect(DisplayText.escapingControls(text) == shown)
    }

    /// Every scalar below U+00A0 is either printable ASCII, kept, or a control, escaped; nothing shown holds a
    /// control.
    @Test func nothingShownHoldsAControl() {
        let all = String(String.UnicodeScalarView((0..<0xA0).compactMap(Unicode.Scalar.init)))
        let shown = DisplayText.escapingControls(all)
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(
            shown.contains(
                " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
            )
        )
    }
}
