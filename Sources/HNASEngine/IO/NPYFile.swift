import Foundation

/// An array stored in NumPy's `.npy` format: its shape and its elements in C (row-major) order.
///
/// Reads format versions 1.0, 2.0 and 3.0 with the element types `<f4`, `<f8`, `<i8`, `<i4` and
/// `|b1` (little-endian float32/float64/int64/int32 and bool), and writes version 1.0 (2.0 when
/// the header needs it). MM-IMDB's prepared samples (`text_k.npy`, `label_k.npy`, `image_k.npy`)
/// are such files. Anything else — Fortran order, object or structured arrays, big-endian or other
/// types, a malformed header, a payload shorter than the shape says — is an `HNASError` naming the
/// file. Bytes after the payload are ignored, as `numpy.load` ignores them.
public struct NPYFile: Equatable {
    /// The elements, in the file's element type.
    public enum Elements: Equatable {
        case float32([Float])
        case float64([Double])
        case int64([Int64])
        case int32([Int32])
        case bool([Bool])

        /// The NumPy type string (`descr`) of this element type.
        public var descr: String {
            switch self {
            case .float32: return "<f4"
            case .float64: return "<f8"
            case .int64: return "<i8"
            case .int32: return "<i4"
            case .bool: return "|b1"
            }
        }

        /// Number of elements.
        public var count: Int {
            switch self {
            case .float32(let v): return v.count
            case .float64(let v): return v.count
            case .int64(let v): return v.count
            case .int32(let v): return v.count
            case .bool(let v): return v.count
            }
        }
    }

    /// Sizes of each dimension, outermost first; `[]` for a 0-d (scalar) array.
    public let shape: [Int]
    /// The elements in C order.
    public let elements: Elements

    /// Wraps `elements` with `shape`.
    /// - Throws: `HNASError` when the element count does not match the shape.
    public init(shape: [Int], elements: Elements) throws {
        let count = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), count == elements.count else {
            throw HNASError.op("NPYFile.init", why: "shape \(shape) holds \(count) elements but \(elements.count) were given")
        }
        self.shape = shape
        self.elements = elements
    }

    /// The elements converted to Float (integers above 2^24 in magnitude lose precision; bools are 0/1).
    public var floats: [Float] {
        switch elements {
        case .float32(let v): return v
        case .float64(let v): return v.map { Float($0) }
        case .int64(let v): return v.map { Float($0) }
        case .int32(let v): return v.map { Float($0) }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        }
    }

    /// The array as a Float32 tensor of the same shape (see `floats`).
    public func tensor() throws -> Tensor {
        try Tensor(shape: shape, scalars: floats)
    }

    // MARK: Reading

    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads the `.npy` file at `url`.
    /// - Throws: `HNASError` naming the file when it cannot be read or is not a supported `.npy` array.
    public init(contentsOf url: URL) throws {
        let data = try FileContents.read(url, "cannot read NPY file")
        try self.init(bytes: [UInt8](data), path: url.relativePath)
    }

    /// Decodes the bytes of a `.npy` file; `path` names it in errors.
    public init(bytes: [UInt8], path: String) throws {
        func fail(_ why: String) -> HNASError { HNASError.file(path, "cannot read NPY file", why: why) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == Self.magic else {
            throw fail("it does not start with the NPY magic string \\x93NUMPY")
        }
        let major = bytes[6], minor = bytes[7]
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("the header length is truncated") }
            headerStart = 12
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        default:
            throw fail("format version \(major).\(minor) is not supported (1.0, 2.0 and 3.0 are)")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw fail("the header says \(headerLength) bytes but the file ends after \(bytes.count - headerStart)")
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        // Versions 1 and 2 store the header as Latin-1, version 3 as UTF-8.
        let headerText = major == 3
            ? String(decoding: headerBytes, as: UTF8.self)
            : String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
        let header = try NPYHeader(parsing: headerText, fail: fail)

        let count = header.shape.reduce(1, *)
        let size: Int
        switch header.descr {
        case "<f4", "<i4": size = 4
        case "<f8", "<i8": size = 8
        case "|b1": size = 1
        case "|O", "O": throw fail("object arrays (dtype 'O') are not supported")
        case let d where d.hasPrefix(">"):
            throw fail("big-endian dtype '\(d)' is not supported (use '<' little-endian)")
        default:
            throw fail("dtype '\(header.descr)' is not supported (supported: <f4, <f8, <i8, <i4, |b1)")
        }
        guard !header.fortranOrder || header.shape.filter({ $0 > 1 }).count <= 1 else {
            throw fail("Fortran-order arrays are not supported; save the array in C order")
        }
        let payloadStart = headerStart + headerLength
        let (payloadSize, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, payloadSize <= bytes.count - payloadStart else {
            throw fail("the payload is truncated: shape \(header.shape) needs \(count) × \(size) bytes, "
                + "the file has \(bytes.count - payloadStart)")
        }
        let payload = bytes[payloadStart..<(payloadStart + payloadSize)]
        let elements: Elements
        switch header.descr {
        case "<f4": elements = .float32(Self.load(payload, count))
        case "<f8": elements = .float64(Self.load(payload, count))
        case "<i8": elements = .int64(Self.load(payload, count))
        case "<i4": elements = .int32(Self.load(payload, count))
        default: elements = .bool(payload.map { $0 != 0 })
        }
        try self.init(shape: header.shape, elements: elements)
    }

    /// Copies little-endian elements out of `payload` (all supported hosts are little-endian).
    private static func load<T: FixedWidthInteger & BitwiseCopyable>(_ payload: ArraySlice<UInt8>, _ count: Int) -> [T] {
        payload.withUnsafeBytes { raw in
            (0..<count).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
        }
    }

    private static func load(_ payload: ArraySlice<UInt8>, _ count: Int) -> [Float] {
        (load(payload, count) as [UInt32]).map { Float(bitPattern: $0) }
    }

    private static func load(_ payload: ArraySlice<UInt8>, _ count: Int) -> [Double] {
        (load(payload, count) as [UInt64]).map { Double(bitPattern: $0) }
    }

    // MARK: Writing

    /// The bytes of this array as a `.npy` file (version 1.0, or 2.0 for a header over 65,535 bytes).
    public func encoded() -> [UInt8] {
        let dims = shape.map(String.init).joined(separator: ", ")
        let tuple = shape.count == 1 ? "(\(dims),)" : "(\(dims))"
        var header = Array("{'descr': '\(elements.descr)', 'fortran_order': False, 'shape': \(tuple), }".utf8)
        let version: UInt8 = header.count + 11 <= 65_535 ? 1 : 2
        let prefix = version == 1 ? 10 : 12
        let padding = (64 - (prefix + header.count + 1) % 64) % 64
        header += [UInt8](repeating: 0x20, count: padding) + [0x0A]

        var out = Self.magic + [version, 0]
        let length = header.count
        out += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)] : (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) }
        out += header
        switch elements {
        case .float32(let v): v.forEach { Self.append($0.bitPattern, to: &out) }
        case .float64(let v): v.forEach { Self.append($0.bitPattern, to: &out) }
        case .int64(let v): v.forEach { Self.append($0, to: &out) }
        case .int32(let v): v.forEach { Self.append($0, to: &out) }
        case .bool(let v): out += v.map { $0 ? 1 : 0 }
        }
        return out
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    /// Writes the array to `url` atomically (`AtomicFile`).
    /// - Throws: `HNASError` naming the file when it cannot be written.
    public func write(to url: URL) throws {
        try AtomicFile.write(Data(encoded()), to: url, "cannot write NPY file")
    }
}

/// The dictionary in an `.npy` header: `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
/// Parsed as the Python literal it is (strings, booleans, integers, tuples, lists, dicts).
private struct NPYHeader {
    let descr: String
    let fortranOrder: Bool
    let shape: [Int]

    private indirect enum Literal {
        case string(String), bool(Bool), int(Int), sequence([Literal]), dict([String: Literal])
    }

    init(parsing text: String, fail: @escaping (String) -> HNASError) throws {
        var parser = Parser(scalars: Array(text.unicodeScalars), fail: fail)
        guard case .dict(let dict) = try parser.value() else { throw fail("the header is not a dictionary: \(text)") }
        guard let descrValue = dict["descr"] else { throw fail("the header has no 'descr'") }
        switch descrValue {
        case .string(let s): descr = s
        default: throw fail("structured dtypes are not supported (descr is not a type string)")
        }
        guard case .bool(let fortran) = dict["fortran_order"] else { throw fail("the header has no boolean 'fortran_order'") }
        fortranOrder = fortran
        guard case .sequence(let dims) = dict["shape"] else { throw fail("the header has no 'shape' tuple") }
        shape = try dims.map { dim in
            guard case .int(let n) = dim, n >= 0 else { throw fail("the shape holds a value that is not a size") }
            return n
        }
        var total = 1
        for n in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: n)
            guard !overflow else { throw fail("the shape \(shape) is too large") }
            total = product
        }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        let fail: (String) -> HNASError
        var i = 0
        /// Open brackets around the current value; a real header nests two deep.
        var depth = 0
        static let maximumDepth = 16

        mutating func skipSpace() {
            while i < scalars.count, scalars[i].properties.isWhitespace { i += 1 }
        }

        mutating func expectEnd(of closing: Unicode.Scalar) throws -> Bool {
            skipSpace()
            guard i < scalars.count else { throw fail("the header ends inside a literal") }
            if scalars[i] == closing { i += 1; return true }
            return false
        }

        mutating func value() throws -> Literal {
            skipSpace()
            guard i < scalars.count else { throw fail("the header ends where a value was expected") }
            let c = scalars[i]
            switch c {
            case "'", "\"":
                i += 1
                let start = i
                while i < scalars.count, scalars[i] != c { i += 1 }
                guard i < scalars.count else { throw fail("the header has an unterminated string") }
                i += 1
                return .string(String(String.UnicodeScalarView(scalars[start..<(i - 1)])))
            case "(", "[":
                i += 1
                depth += 1
                defer { depth -= 1 }
                guard depth <= Self.maximumDepth else { throw fail("the header nests more than \(Self.maximumDepth) levels deep") }
                let closing: Unicode.Scalar = c == "(" ? ")" : "]"
                var items = [Literal]()
                while try !expectEnd(of: closing) {
                    items.append(try value())
                    if try expectEnd(of: closing) { break }
                    guard scalars[i] == "," else { throw fail("the header has '\(scalars[i])' where ',' was expected") }
                    i += 1
                }
                return .sequence(items)
            case "{":
                i += 1
                depth += 1
                defer { depth -= 1 }
                guard depth <= Self.maximumDepth else { throw fail("the header nests more than \(Self.maximumDepth) levels deep") }
                var dict = [String: Literal]()
                while try !expectEnd(of: "}") {
                    guard case .string(let key) = try value() else { throw fail("the header has a non-string key") }
                    skipSpace()
                    guard i < scalars.count, scalars[i] == ":" else { throw fail("the header lacks ':' after '\(key)'") }
                    i += 1
                    dict[key] = try value()
                    if try expectEnd(of: "}") { break }
                    guard scalars[i] == "," else { throw fail("the header has '\(scalars[i])' where ',' was expected") }
                    i += 1
                }
                return .dict(dict)
            default:
                let start = i
                while i < scalars.count, scalars[i].properties.isAlphabetic || ("0"..."9").contains(scalars[i]) || scalars[i] == "-" {
                    i += 1
                }
                var word = String(String.UnicodeScalarView(scalars[start..<i]))
                if word == "True" { return .bool(true) }
                if word == "False" { return .bool(false) }
                if word.hasSuffix("L") { word.removeLast() }  // Python 2 long integers, e.g. (3L,)
                guard let n = Int(word) else { throw fail("the header has an unexpected '\(word.isEmpty ? String(c) : word)'") }
                return .int(n)
            }
        }
    }
}
