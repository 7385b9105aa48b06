import FuzzDriver
import Glibc
import HookgateCore

/// Reads any bytes as a configuration file, then validates what it read: errors are fine, a crash is not.
exit(
    runFuzzer { data, count in
        let bytes = Array(UnsafeBufferPointer(start: data, count: count))
        guard let configuration = try? HookgateConfiguration.decode(bytes) else { return 0 }
        _ = try? configuration.validate()
        return 0
    }
)
