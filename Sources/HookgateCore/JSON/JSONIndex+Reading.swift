extension JSONIndex {
    /// The value of the member `key` of the object at `object`; `nil` when it has none. Keys compare as
    /// ``JSONValue/subscript(_:)`` compares them: as Swift strings (canonical equivalence).
    func member(_ key: String, of object: Int) -> Int? {
        var utf8 = key
        return utf8.withUTF8 { keyBytes in
            let keyIsASCII = keyBytes.allSatisfy { $0 < 0x80 }
            let end = self.next(object)
            var node = object + 1
            while node < end {
                let entry = self.entries[node]
                // ASCII text equals another ASCII text exactly when their bytes are equal.
                let isMatch =
                    entry.flags == 0 && keyIsASCII
                    ? self.text(of: entry, equals: keyBytes) : Self.decodedString(entry, in: self.bytes) == key
                if isMatch { return node + 1 }
                node = self.next(node + 1)
            }
            return nil
        }
    }

    /// Whether the text of `entry` is `key`, byte for byte.
    private func text(of entry: Entry, equals key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(entry.start)
        guard Int(entry.end) - start == key.count else { return false }
        for offset in 0..<key.count where self.bytes[start + offset] != key[offset] { return false }
        return true
    }

    /// The elements of the array at `array`.
    func elements(of array: Int) -> [Int] {
        var elements: [Int] = []
        let end = self.next(array)
        var node = array + 1
        while node < end {
            elements.append(node)
            node = self.next(node)
        }
        return elements
    }

    /// The value of the ``Kind/integer`` at `node`.
    func integer(_ node: Int) -> Int64 {
        // Accumulated as a negative number so that `Int64.min` fits; indexing checked that the value fits.
        var value: Int64 = 0
        var isNegative = false
        for byte in self.text(node) {
            if byte == UInt8(ascii: "-") {
                isNegative = true
            } else {
                value = value &* 10 &- Int64(byte &- UInt8(ascii: "0"))
            }
        }
        return isNegative ? value : 0 &- value
    }

    /// The value of the ``Kind/number`` at `node`.
    func number(_ node: Int) -> Double {
        // Indexing checked that the text is a finite number.
        Double(String(decoding: self.text(node), as: UTF8.self)) ?? .nan
    }

    /// The value at `node` as a ``JSONValue`` (``JSONValueParser`` returns the root's).
    func value(_ node: Int) -> JSONValue {
        switch self.kind(node) {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .integer: return .integer(self.integer(node))
        case .number: return .number(self.number(node))
        case .string: return .string(self.string(node))
        case .array: return .array(self.elements(of: node).map(self.value))
        case .object:
            var members: [JSONValue.Member] = []
            let end = self.next(node)
            var key = node + 1
            while key < end {
                members.append(JSONValue.Member(key: self.string(key), value: self.value(key + 1)))
                key = self.next(key + 1)
            }
            return .object(members)
        }
    }
}
