import HNASKit

/// A decoded 8-bit image: interleaved gray or RGB samples, row-major, top row first.
///
/// This is what PIL calls an image of mode "L" or "RGB", and every transform that PIL applies on
/// 8-bit data in the original pipelines (resize, crop) works on this type, so intermediate results
/// are rounded to 8 bits exactly where PIL rounds them.
public struct PixelImage: Equatable, Sendable {
    /// The colour model; the raw value is the number of interleaved channels.
    public enum ColorModel: Int, Sendable {
        case gray = 1
        case rgb = 3
    }

    public let width: Int
    public let height: Int
    public let colorModel: ColorModel
    /// `height × width × channels` samples.
    public let samples: [UInt8]

    /// Channels per pixel (1 or 3).
    public var channels: Int { colorModel.rawValue }

    /// Wraps `samples`.
    /// - Throws: `HNASError` when the sample count is not `width × height × channels`.
    public init(width: Int, height: Int, colorModel: ColorModel, samples: [UInt8]) throws {
        guard width > 0, height > 0, samples.count == width * height * colorModel.rawValue else {
            throw HNASError.op("PixelImage.init", why: "\(samples.count) samples do not make a \(width)x\(height) \(colorModel) image")
        }
        self.init(unchecked: width, height, colorModel, samples)
    }

    /// Wraps samples whose count the caller has already made right.
    init(unchecked width: Int, _ height: Int, _ colorModel: ColorModel, _ samples: [UInt8]) {
        self.width = width
        self.height = height
        self.colorModel = colorModel
        self.samples = samples
    }

    /// The image in `model`: gray → RGB replicates the gray value; RGB → gray is PIL's
    /// `convert("L")`, the ITU-R 601-2 luma L = (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16.
    public func converted(to model: ColorModel) -> PixelImage {
        guard model != colorModel else { return self }
        let count = width * height
        switch model {
        case .rgb:
            var rgb = [UInt8](repeating: 0, count: count * 3)
            for i in 0..<count {
                let v = samples[i]
                rgb[3 * i] = v
                rgb[3 * i + 1] = v
                rgb[3 * i + 2] = v
            }
            return PixelImage(unchecked: width, height, .rgb, rgb)
        case .gray:
            var gray = [UInt8](repeating: 0, count: count)
            for i in 0..<count {
                let r = UInt32(samples[3 * i]), g = UInt32(samples[3 * i + 1]), b = UInt32(samples[3 * i + 2])
                gray[i] = UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
            }
            return PixelImage(unchecked: width, height, .gray, gray)
        }
    }

    /// The `cropWidth × cropHeight` region whose top-left corner is (`left`, `top`).
    /// - Throws: `HNASError` when the region is empty or leaves the image.
    public func cropped(left: Int, top: Int, width cropWidth: Int, height cropHeight: Int) throws -> PixelImage {
        guard cropWidth > 0, cropHeight > 0, left >= 0, top >= 0,
              left + cropWidth <= width, top + cropHeight <= height else {
            throw HNASError.op("crop", why: "region \(cropWidth)x\(cropHeight) at (\(left), \(top)) is not inside the \(width)x\(height) image")
        }
        let c = channels
        var out = [UInt8]()
        out.reserveCapacity(cropWidth * cropHeight * c)
        for y in top..<(top + cropHeight) {
            let start = (y * width + left) * c
            out.append(contentsOf: samples[start..<(start + cropWidth * c)])
        }
        return PixelImage(unchecked: cropWidth, cropHeight, colorModel, out)
    }

    /// torchvision's `CenterCrop`: top = round((H − h) / 2), left = round((W − w) / 2) with
    /// Python's round-half-to-even.
    /// - Throws: `HNASError` when the crop is larger than the image (torchvision would pad; no
    ///   pipeline of the original needs that).
    public func centerCropped(width cropWidth: Int, height cropHeight: Int) throws -> PixelImage {
        let top = Int((Double(height - cropHeight) / 2).rounded(.toNearestOrEven))
        let left = Int((Double(width - cropWidth) / 2).rounded(.toNearestOrEven))
        return try cropped(left: left, top: top, width: cropWidth, height: cropHeight)
    }

    /// The samples as float values (0…255) in channel-first order (C × H × W), unscaled.
    public func planarValues() -> [Float] {
        let c = channels, plane = width * height
        var values = [Float](repeating: 0, count: plane * c)
        samples.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                for channel in 0..<c {
                    for i in 0..<plane {
                        dst[channel * plane + i] = Float(src[i * c + channel])
                    }
                }
            }
        }
        return values
    }
}
