/// CLIP's reversible map between the 256 byte values and 256 printable Unicode characters.
///
/// Byte-level BPE works on strings of printable characters, so every UTF-8 byte of the text is
/// first replaced by one character: bytes 33–126, 161–172 and 174–255 stand for themselves (as
/// code points), the other 68 bytes (controls, space, 127–160, the soft hyphen 173) take
/// U+0100, U+0101, … in increasing byte order. The map's construction order (printable bytes
/// first, then the remapped ones) is also the order of vocabulary ids 0–255.
struct ByteSymbolMap {
    /// `scalar[b]`: the character standing for byte `b`.
    let scalar: [Unicode.Scalar]
    /// The bytes in vocabulary order: `order[id]` is the byte whose character has id `id` (0–255).
    let order: [UInt8]
    /// `byte[c]` for the 256 characters of the map; other code points are absent.
    let byte: [Unicode.Scalar: UInt8]

    init() {
        let printable = Array(33...126) + Array(161...172) + Array(174...255)
        let printableSet = Set(printable)
        var scalar = [Unicode.Scalar](repeating: " ", count: 256)
        var order = printable.map { UInt8($0) }
        var next: UInt32 = 256
        for b in 0..<256 {
            if printableSet.contains(b) {
                scalar[b] = Unicode.Scalar(UInt32(b))!
            } else {
                scalar[b] = Unicode.Scalar(next)!
                next += 1
                order.append(UInt8(b))
            }
        }
        self.scalar = scalar
        self.order = order
        var byte = [Unicode.Scalar: UInt8]()
        for b in 0..<256 { byte[scalar[b]] = UInt8(b) }
        self.byte = byte
    }

    /// The bytes behind a string of map characters, or nil when it holds another character.
    func bytes(for symbols: String) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(symbols.unicodeScalars.count)
        for s in symbols.unicodeScalars {
            guard let b = byte[s] else { return nil }
            out.append(b)
        }
        return out
    }
}
