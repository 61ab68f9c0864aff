import CZlib
import Foundation
import HNASKit

/// Reads a gzip-compressed file through zlib (used for CLIP's bundled vocabulary).
enum GzipFile {
    /// The decompressed bytes of the gzip file at `url`.
    /// - Throws: `HNASError` naming the file when it cannot be read or is not valid gzip data.
    static func contents(of url: URL) throws -> [UInt8] {
        let compressed = try FileContents.read(url, "cannot read")
        return try inflate(Array(compressed), path: url.path)
    }

    /// Inflates a whole gzip stream (`16 + MAX_WBITS` makes zlib expect the gzip header and trailer).
    static func inflate(_ input: [UInt8], path: String) throws -> [UInt8] {
        guard !input.isEmpty else {
            throw HNASError.file(path, "cannot decompress", why: "the file is empty")
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw HNASError.file(path, "cannot decompress", why: "zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }

        var output = [UInt8]()
        output.reserveCapacity(input.count * 3)
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var input = input
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    let produced = target.count - Int(stream.avail_out)
                    output.append(contentsOf: target[0..<produced])
                }
            } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard status == Z_STREAM_END else {
            let reason: String
            switch status {
            case Z_DATA_ERROR: reason = "the data is not valid gzip (\(stream.msg.map { String(cString: $0) } ?? "corrupt stream"))"
            case Z_MEM_ERROR: reason = "out of memory"
            default: reason = "the gzip stream is truncated"
            }
            throw HNASError.file(path, "cannot decompress", why: reason)
        }
        return output
    }
}
