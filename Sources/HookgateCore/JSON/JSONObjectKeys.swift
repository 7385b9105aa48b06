/// The keys of one object while it is indexed, to find a key that repeats an earlier one, compared as
/// ``JSONValueParser`` compares them: as Swift strings (canonical equivalence).
///
/// Small objects are checked against their earlier keys on the index itself, behind a 256-bit filter of the
/// plain (ASCII, unescaped) keys' hashes, so the common case allocates nothing; past ``largestScan`` keys, a
/// set of the decoded keys takes over, so a hostile object with many keys costs linear time.
struct JSONObjectKeys {
    /// The most keys checked by scanning the earlier ones.
    private static let largestScan = 64

    private var count = 0
    /// One bit per hash of a plain key seen.
    private var filter: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// Whether a key with an escape or a non-ASCII byte was seen: the filter then cannot rule anything out.
    private var hasOtherKeys = false
    private var decodedKeys: Set<String>?

    /// Adds the key at entry `key`, a member of the object at entry `object`.
    /// - Returns: whether an earlier key of the object equals it.
    mutating func insertIsDuplicate(
        _ key: Int,
        inObject object: Int,
        entries: [JSONIndex.Entry],
        bytes: [UInt8]
    ) -> Bool {
        self.count += 1
        if self.decodedKeys == nil, self.count > Self.largestScan {
            var keys: Set<String> = []
            var earlier = object + 1
            while earlier < key {
                keys.insert(JSONIndex.decodedString(entries[earlier], in: bytes))
                earlier = Int(entries[earlier + 1].next)
            }
            self.decodedKeys = keys
        }
        if self.decodedKeys != nil {
            return self.decodedKeys?.insert(JSONIndex.decodedString(entries[key], in: bytes)).inserted == false
        }
        let entry = entries[key]
        if entry.flags == 0, !self.hasOtherKeys {
            guard self.insertIsKnown(Self.hash(entry, in: bytes)) else { return false }
        } else {
            self.hasOtherKeys = true
        }
        var earlier = object + 1
        while earlier < key {
            if JSONIndex.strings(entries[earlier], entry, areEqualIn: bytes) { return true }
            earlier = Int(entries[earlier + 1].next)
        }
        return false
    }

    /// Sets the filter's bit of `hash`.
    /// - Returns: whether it was set already.
    private mutating func insertIsKnown(_ hash: UInt32) -> Bool {
        let mask: UInt64 = 1 << (hash & 63)
        let wasSet: Bool
        switch (hash >> 6) & 3 {
        case 0: (wasSet, self.filter.0) = (self.filter.0 & mask != 0, self.filter.0 | mask)
        case 1: (wasSet, self.filter.1) = (self.filter.1 & mask != 0, self.filter.1 | mask)
        case 2: (wasSet, self.filter.2) = (self.filter.2 & mask != 0, self.filter.2 | mask)
        default: (wasSet, self.filter.3) = (self.filter.3 & mask != 0, self.filter.3 | mask)
        }
        return wasSet
    }

    /// The FNV-1a hash of the text of the string `entry` of a document of `bytes`, folded to 8 bits.
    private static func hash(_ entry: JSONIndex.Entry, in bytes: [UInt8]) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for position in Int(entry.start)..<Int(entry.end) {
            hash = (hash ^ UInt32(bytes[position])) &* 16_777_619
        }
        return (hash ^ (hash >> 8) ^ (hash >> 16) ^ (hash >> 24)) & 0xFF
    }
}
