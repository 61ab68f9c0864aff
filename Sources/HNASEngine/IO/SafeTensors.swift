import Foundation

/// A safetensors file in memory: named F32 and I64 tensors plus string metadata.
///
/// Layout (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N,
/// N bytes of JSON `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, …,
/// "__metadata__": {"key": "value"}}`, then the little-endian tensor bytes (offsets relative to
/// the end of the header). Files written here are readable by the Python `safetensors` package
/// and vice versa; other dtypes (F16, BF16, F64, …) are reported as unsupported.
public struct SafeTensors: Equatable {
    /// One stored tensor.
    public enum Entry: Equatable {
        case float32(Tensor)
        case int64(Int64Tensor)

        public var shape: [Int] {
            switch self {
            case .float32(let t): return t.shape
            case .int64(let t): return t.shape
            }
        }
    }

    public var tensors: [String: Entry]
    public var metadata: [String: String]

    public init(tensors: [String: Entry] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The F32 tensor called `name`, if there is one.
    public subscript(float name: String) -> Tensor? {
        if case .float32(let t)? = tensors[name] { return t }
        return nil
    }

    // MARK: Reading

    /// The largest JSON header accepted (the Python `safetensors` package's limit, 100 MB).
    public static let maximumHeaderBytes = 100_000_000

    /// Reads and validates a file.
    /// - Throws: `HNASError` naming the file when it is unreadable (or not a regular file), truncated,
    ///   has a malformed header (above `maximumHeaderBytes`, a shape whose byte count is not its span,
    ///   spans outside the data or overlapping each other) or holds a dtype other than F32/I64.
    public static func read(from url: URL) throws -> SafeTensors {
        let data = try FileContents.read(url, "cannot read safetensors file", path: url.path)
        return try decode(data, path: url.path)
    }

    /// Parses the bytes of a safetensors file (`path` only names it in errors).
    public static func decode(_ data: Data, path: String) throws -> SafeTensors {
        func fail(_ why: String) -> HNASError { HNASError.file(path, "cannot read safetensors file", why: why) }
        guard data.count >= 8 else { throw fail("file is \(data.count) bytes, shorter than the 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(maximumHeaderBytes) else {
            throw fail("header length \(headerLength) is above the limit of \(maximumHeaderBytes) bytes")
        }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail("header length \(headerLength) exceeds the \(data.count - 8) bytes after it (truncated?)")
        }
        let dataStart = 8 + Int(headerLength)
        let header = data.subdata(in: 8..<dataStart)
        guard let json = try? JSONSerialization.jsonObject(with: header), let root = json as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        var result = SafeTensors()
        let payloadCount = data.count - dataStart
        var spans: [(begin: Int, end: Int, name: String)] = []
        for (name, value) in root.sorted(by: { $0.key < $1.key }) {
            if name == "__metadata__" {
                guard let meta = value as? [String: Any], let strings = meta as? [String: String] else {
                    throw fail("__metadata__ must map strings to strings")
                }
                result.metadata = strings
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shapeValues = info["shape"] as? [Any], let offsetValues = info["data_offsets"] as? [Any] else {
                throw fail("entry '\(name)' lacks dtype, shape or data_offsets")
            }
            let shape = try shapeValues.map { v -> Int in
                guard let n = integer(v), n >= 0 else { throw fail("entry '\(name)' has a bad shape \(shapeValues)") }
                return n
            }
            let offsets = try offsetValues.map { v -> Int in
                guard let n = integer(v), n >= 0 else { throw fail("entry '\(name)' has bad data_offsets \(offsetValues)") }
                return n
            }
            guard offsets.count == 2, offsets[0] <= offsets[1] else {
                throw fail("entry '\(name)' has bad data_offsets \(offsetValues)")
            }
            guard offsets[1] <= payloadCount else {
                throw fail("entry '\(name)' ends at byte \(offsets[1]) of the data but only \(payloadCount) bytes follow the header (truncated?)")
            }
            let size: Int
            switch dtype {
            case "F32": size = 4
            case "I64": size = 8
            default: throw fail("entry '\(name)' has dtype \(dtype); only F32 and I64 are supported")
            }
            // The byte count is checked against the span before anything is allocated; a product that
            // overflows is larger than any file.
            var count = 1, bytesNeeded = size, overflow = false
            for n in shape {
                (count, overflow) = count.multipliedReportingOverflow(by: n)
                if overflow { break }
            }
            if !overflow { (bytesNeeded, overflow) = count.multipliedReportingOverflow(by: size) }
            guard !overflow, offsets[1] - offsets[0] == bytesNeeded else {
                throw fail("entry '\(name)' spans \(offsets[1] - offsets[0]) bytes but \(dtype) \(shape) needs "
                           + (overflow ? "more than \(Int.max)" : "\(bytesNeeded)"))
            }
            spans.append((offsets[0], offsets[1], name))
            let bytes = data.subdata(in: (dataStart + offsets[0])..<(dataStart + offsets[1]))
            if dtype == "F32" {
                let tensor = Tensor(shape: shape) { out in
                    bytes.withUnsafeBytes { raw in
                        for i in 0..<count {
                            out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                        }
                    }
                }
                result.tensors[name] = .float32(tensor)
            } else {
                let values = bytes.withUnsafeBytes { raw in
                    (0..<count).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
                }
                result.tensors[name] = .int64(try Int64Tensor(shape: shape, scalars: values))
            }
        }
        let ordered = spans.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (a, b) in zip(ordered, ordered.dropFirst()) where b.begin < a.end {
            throw fail("entries '\(a.name)' and '\(b.name)' overlap (bytes \(a.begin)..<\(a.end) and \(b.begin)..<\(b.end))")
        }
        return result
    }

    private static func integer(_ v: Any) -> Int? {
        guard let n = v as? NSNumber else { return nil }
        return Int(exactly: n.doubleValue)
    }

    // MARK: Writing

    /// The file's bytes: entries in name order, header padded with spaces to a multiple of 8.
    public func encoded() -> Data {
        var payload = Data()
        var entries: [String] = []
        for name in tensors.keys.sorted() {
            let begin = payload.count
            let dtype: String
            switch tensors[name]! {
            case .float32(let t):
                dtype = "F32"
                t.withUnsafeBufferPointer { p in
                    #if _endian(little)
                    payload.append(UnsafeBufferPointer(start: p.baseAddress, count: p.count))
                    #else
                    for v in p { withUnsafeBytes(of: v.bitPattern.littleEndian) { payload.append(contentsOf: $0) } }
                    #endif
                }
            case .int64(let t):
                dtype = "I64"
                for v in t.scalars { withUnsafeBytes(of: v.littleEndian) { payload.append(contentsOf: $0) } }
            }
            let shape = tensors[name]!.shape.map(String.init).joined(separator: ",")
            entries.append("\(SafeTensors.jsonString(name)):{\"dtype\":\"\(dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(begin),\(payload.count)]}")
        }
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(SafeTensors.jsonString($0)):\(SafeTensors.jsonString(metadata[$0]!))" }
            entries.insert("\"__metadata__\":{\(pairs.joined(separator: ","))}", at: 0)
        }
        var header = Data("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(header)
        out.append(payload)
        return out
    }

    /// Writes the file atomically (`AtomicFile`).
    /// - Throws: `HNASError` naming the file when it cannot be written.
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url, "cannot write safetensors file", path: url.path)
    }

    private static func jsonString(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
