import FuzzDriver
import Glibc
import HookgateCore

/// Parses any bytes strictly; what parses must serialize to JSON that parses back to the same value.
exit(
    runFuzzer { data, count in
        let bytes = Array(UnsafeBufferPointer(start: data, count: count))
        guard let value = try? JSONValueParser.parse(bytes) else { return 0 }
        let text = value.serialized()
        guard let again = try? JSONValueParser.parse(text) else {
            fatalError("the serialization of a parsed value does not parse: \(text)")
        }
        // Numbers that are not integers go through Double and text: compare the text of both.
        guard again.serialized() == text else {
            fatalError("a parsed value does not round-trip: \(text) became \(again.serialized())")
        }
        return 0
    }
)
