import HNASKit

/// torchvision's `ToTensor` followed by `Normalize(mean, std)`: 8-bit samples become float32
/// x = (v / 255 − mean[c]) / std[c], laid out channel-first (C × H × W).
///
/// Every step is one float32 operation in torchvision's order (divide by 255, subtract, divide),
/// so the results equal torch's bit for bit.
public struct ChannelNormalization: Equatable, Sendable {
    public let mean: [Float]
    public let std: [Float]

    /// `ToTensor` alone: scaling to [0, 1] with nothing subtracted.
    public static func unit(channels: Int) -> ChannelNormalization {
        ChannelNormalization(unchecked: [Float](repeating: 0, count: channels), [Float](repeating: 1, count: channels))
    }

    /// - Throws: `HNASError` when `mean` and `std` differ in length or a std is not positive.
    public init(mean: [Float], std: [Float]) throws {
        guard !mean.isEmpty, mean.count == std.count, std.allSatisfy({ $0 > 0 }) else {
            throw HNASError.op("Normalize", why: "mean \(mean) and std \(std) must have one positive std per mean")
        }
        self.init(unchecked: mean, std)
    }

    private init(unchecked mean: [Float], _ std: [Float]) {
        self.mean = mean
        self.std = std
    }

    /// The C × H × W tensor of `image`.
    /// - Throws: `HNASError` when the image's channel count differs from `mean.count`.
    public func tensor(from image: PixelImage) throws -> Tensor {
        guard image.channels == mean.count else {
            throw HNASError.op("Normalize", why: "\(mean.count) channel statistics for an image with \(image.channels) channels")
        }
        var scalars = image.planarValues()
        let plane = image.width * image.height
        scalars.withUnsafeMutableBufferPointer { values in
            for channel in 0..<image.channels {
                let m = mean[channel], s = std[channel]
                for i in (channel * plane)..<((channel + 1) * plane) {
                    values[i] = (values[i] / 255 - m) / s
                }
            }
        }
        return try Tensor(shape: [image.channels, image.height, image.width], scalars: scalars)
    }
}
