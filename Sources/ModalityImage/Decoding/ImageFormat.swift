/// The file formats the image modality decodes, recognised by their leading bytes, never by the
/// file name's extension.
public enum ImageFormat: String, Sendable {
    case jpeg = "JPEG"
    case png = "PNG"

    /// The format whose signature starts `bytes`, or nil.
    public static func detect<Bytes: Collection>(_ bytes: Bytes) -> ImageFormat? where Bytes.Element == UInt8 {
        [ImageFormat.jpeg, .png].first { bytes.starts(with: $0.signature) }
    }

    /// The format whose signature a file shorter than it begins, e.g. the 2 bytes `FF D8` of a cut-off JPEG.
    public static func truncatedSignature<Bytes: Collection>(_ bytes: Bytes) -> ImageFormat? where Bytes.Element == UInt8 {
        guard !bytes.isEmpty else { return nil }
        return [ImageFormat.jpeg, .png].first { bytes.count < $0.signature.count && $0.signature.starts(with: bytes) }
    }

    /// The leading bytes that identify the format.
    var signature: [UInt8] {
        switch self {
        case .jpeg: return [0xFF, 0xD8, 0xFF]
        case .png: return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        }
    }
}
