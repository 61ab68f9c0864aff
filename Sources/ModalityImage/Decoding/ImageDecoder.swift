import CImageCodec
import Foundation
import HNASKit

/// Decodes JPEG (libjpeg-turbo) and PNG (libpng) files into 8-bit gray or RGB `PixelImage`s.
///
/// The format is taken from the file's first bytes, so a JPEG named `.png` still decodes and a
/// non-image named `.jpg` is refused. Every failure — unreadable, empty, truncated or corrupt
/// data, a declared size above `maxPixels`, a CMYK JPEG — is an `HNASError` naming the file; the
/// C libraries' own error handlers (which would exit the process) are replaced by the traps in
/// `CImageCodec`.
public struct ImageDecoder: Sendable {
    /// The default limit on width × height (64 Mpx), far above any dataset image and below the
    /// sizes that would exhaust memory.
    public static let defaultMaxPixels = 64 * 1024 * 1024

    /// The largest width × height accepted.
    public let maxPixels: Int

    public init(maxPixels: Int = ImageDecoder.defaultMaxPixels) {
        self.maxPixels = maxPixels
    }

    /// Reads and decodes the file at `url`.
    /// - Throws: `HNASError` naming the file.
    public func decode(contentsOf url: URL) throws -> PixelImage {
        try decode(Self.contents(of: url), name: url.relativePath)
    }

    /// The bytes of the file at `url`.
    /// - Throws: `HNASError` naming the file (as the user gave it) when it cannot be read.
    static func contents(of url: URL) throws -> Data {
        try FileContents.read(url, "cannot read image")
    }

    /// Decodes an in-memory file; `name` is the path reported in errors.
    /// - Throws: `HNASError` naming `name`.
    public func decode(_ data: Data, name: String) throws -> PixelImage {
        guard !data.isEmpty else {
            throw HNASError.file(name, "cannot decode image", why: "the file is empty")
        }
        if let format = ImageFormat.truncatedSignature(data) {
            throw HNASError.file(name, "cannot decode \(format.rawValue)", why: "the file is truncated after \(data.count) byte(s) of its signature")
        }
        guard let format = ImageFormat.detect(data.prefix(8)) else {
            let head = data.prefix(4).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw HNASError.file(name, "cannot decode image", why: "not a JPEG or PNG file (starts with bytes \(head))")
        }
        var result = hnas_decoded_image()
        let status: Int32 = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            switch format {
            case .jpeg: return hnas_decode_jpeg(bytes.baseAddress, bytes.count, maxPixels, &result)
            case .png: return hnas_decode_png(bytes.baseAddress, bytes.count, maxPixels, &result)
            }
        }
        defer { hnas_image_release(&result) }
        guard status == Int32(HNAS_IMAGE_OK), let pixels = result.pixels,
              let model = PixelImage.ColorModel(rawValue: Int(result.channels)) else {
            let message = withUnsafeBytes(of: result.message) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            throw HNASError.file(name, "cannot decode \(format.rawValue)", why: message.isEmpty ? "decoder status \(status)" : message)
        }
        let width = Int(result.width), height = Int(result.height)
        let samples = [UInt8](UnsafeBufferPointer(start: pixels, count: width * height * model.rawValue))
        return PixelImage(unchecked: width, height, model, samples)
    }
}
