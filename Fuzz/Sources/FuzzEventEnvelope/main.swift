import FuzzDriver
import Glibc
import HookgateCore

/// Reads the envelope of any bytes: it may refuse them, never crash, hang or read out of bounds.
exit(
    runFuzzer { data, count in
        _ = EventEnvelope.read(UnsafeRawBufferPointer(start: data, count: count))
        return 0
    }
)
