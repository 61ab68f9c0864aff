import Foundation
import HNASKit

/// Reads a NumPy `.npy` file (format versions 1–3, C order, little-endian or byte-sized integers
/// and floats) into a float32 tensor of the stored shape.
///
/// The original's MM-IMDB converter stores each poster as a 3 × 256 × 160 integer array in its own
/// `.npy` file; the image modality reads those directly.
public enum NumpyArrayFile {
    /// The magic string every `.npy` file starts with.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Parses `data`; `name` is the path reported in errors.
    /// - Throws: `HNASError` naming the file for a bad header, an unsupported dtype or order, or a
    ///   payload shorter than the shape requires.
    public static func read(_ data: Data, name: String) throws -> Tensor {
        func fail(_ why: String) -> HNASError { HNASError.file(name, "cannot read NumPy array", why: why) }
        let bytes = [UInt8](data)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("missing .npy signature") }
        let major = bytes[6]
        let lengthBytes = major == 1 ? 2 : 4
        guard (1...3).contains(major), bytes.count >= 8 + lengthBytes else { throw fail("unsupported format version \(major)") }
        let headerLength = bytes[8..<(8 + lengthBytes)].reversed().reduce(0) { $0 << 8 | Int($1) }
        let start = 8 + lengthBytes + headerLength
        guard start <= bytes.count, let header = String(bytes: bytes[(8 + lengthBytes)..<start], encoding: .utf8) else {
            throw fail("the header is truncated")
        }
        guard let descr = field("descr", in: header)?.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) else {
            throw fail("the header has no dtype")
        }
        guard field("fortran_order", in: header) == "False" else { throw fail("Fortran-ordered arrays are not supported") }
        guard let shapeText = field("shape", in: header) else { throw fail("the header has no shape") }
        let shape = try shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { text -> Int in
                guard let n = Int(text), n >= 0 else { throw fail("bad shape \(shapeText)") }
                return n
            }
        guard let element = ElementType(descr) else { throw fail("unsupported dtype '\(descr)'") }
        let available = (bytes.count - start) / element.size
        var count = 1
        for n in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow, product <= available else {
                throw fail("the data is truncated: shape \(shape) needs more than the \(bytes.count - start) bytes present")
            }
            count = product
        }
        let scalars = bytes.withUnsafeBytes { raw in
            (0..<count).map { element.value(raw, at: start + $0 * element.size) }
        }
        return try Tensor(shape: shape, scalars: scalars)
    }

    /// The text after `'key':` up to the next top-level comma of the header dictionary.
    private static func field(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        var depth = 0
        var value = ""
        for ch in header[range.upperBound...] {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if (ch == "," && depth == 0) || ch == "}" { break }
            value.append(ch)
        }
        return value.trimmingCharacters(in: .whitespaces)
    }

    /// The dtypes a poster array can have.
    private enum ElementType {
        case int8, uint8, int16, int32, int64, float32, float64

        init?(_ descr: String) {
            switch descr {
            case "|i1", "<i1": self = .int8
            case "|u1", "<u1": self = .uint8
            case "<i2": self = .int16
            case "<i4": self = .int32
            case "<i8": self = .int64
            case "<f4": self = .float32
            case "<f8": self = .float64
            default: return nil
            }
        }

        var size: Int {
            switch self {
            case .int8, .uint8: return 1
            case .int16: return 2
            case .int32, .float32: return 4
            case .int64, .float64: return 8
            }
        }

        func value(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Float {
            switch self {
            case .int8: return Float(raw.loadUnaligned(fromByteOffset: offset, as: Int8.self))
            case .uint8: return Float(raw[offset])
            case .int16: return Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
            case .int32: return Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
            case .int64: return Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
            case .float32: return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            case .float64: return Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
            }
        }
    }
}
