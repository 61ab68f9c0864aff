import HNASKit

/// The chain that turns a decoded image into a backbone's input tensor: colour model, geometry,
/// then scaling/normalisation — one per dataset of the original, or a custom one.
public struct ImagePreprocessing: Equatable, Sendable {
    /// How the image's size changes.
    public enum Geometry: Equatable, Sendable {
        /// Kept as decoded (AV-MNIST: MNIST digits are already 28 × 28).
        case unchanged
        /// torchvision `Resize(size, filter)` on the PIL image (shorter side to `size`, with PIL's
        /// antialiasing), then `CenterCrop(size)`.
        case shorterSideAndCenterCrop(size: Int, filter: ResampleFilter)
        /// PyTorch bilinear interpolation of the sample values (no antialiasing) to
        /// `size × size`, rounded half-to-even (MM-IMDB).
        case roundedTensorBilinear(size: Int)
    }

    public let colorModel: PixelImage.ColorModel
    public let geometry: Geometry
    /// `ToTensor` + `Normalize`; nil keeps raw sample values (MM-IMDB feeds unscaled integers).
    public let normalization: ChannelNormalization?

    public init(colorModel: PixelImage.ColorModel, geometry: Geometry, normalization: ChannelNormalization?) {
        self.colorModel = colorModel
        self.geometry = geometry
        self.normalization = normalization
    }

    /// The datasets with a stock preprocessing.
    public static let datasets = ["avmnist", "mmimdb", "memes"]

    /// The original's evaluation-time preprocessing of `dataset` (the original applies no
    /// training augmentation to images in any of the three pipelines):
    /// - `avmnist`: gray, unchanged size, `ToTensor`, `Normalize(0.5, 0.5)` → 1 × 28 × 28 in [−1, 1];
    /// - `mmimdb`: the poster's sample values, bilinear (torch, no antialias) to 224 × 224, rounded,
    ///   not scaled. The original's posters are the `.npy` arrays converted from the MM-IMDB hdf5
    ///   (mean-subtracted BGR integers); a JPEG/PNG given instead contributes its RGB values 0…255;
    /// - `memes`: RGB, bicubic shorter side 112 + centre crop 112, `ToTensor`, CLIP's `Normalize`.
    /// - Throws: `HNASError` for an unknown dataset.
    public static func stock(_ dataset: String) throws -> ImagePreprocessing {
        switch dataset {
        case "avmnist":
            return ImagePreprocessing(colorModel: .gray, geometry: .unchanged,
                                      normalization: try ChannelNormalization(mean: [0.5], std: [0.5]))
        case "mmimdb":
            return ImagePreprocessing(colorModel: .rgb, geometry: .roundedTensorBilinear(size: 224), normalization: nil)
        case "memes":
            return ImagePreprocessing(
                colorModel: .rgb, geometry: .shorterSideAndCenterCrop(size: 112, filter: .bicubic),
                normalization: try ChannelNormalization(mean: [0.48145466, 0.4578275, 0.40821073],
                                                        std: [0.26862954, 0.26130258, 0.27577711]))
        default:
            throw HNASError.argument("--dataset", why: "no image preprocessing for '\(dataset)' (known: \(datasets.joined(separator: ", ")))")
        }
    }

    /// The tensor (C × H × W) of a decoded image.
    /// - Throws: `HNASError` when a normalisation does not fit the channel count.
    public func tensor(from decoded: PixelImage) throws -> Tensor {
        let image = decoded.converted(to: colorModel)
        switch geometry {
        case .unchanged:
            return try normalized(image)
        case .shorterSideAndCenterCrop(let size, let filter):
            // The longer side scales too: a sliver (say 1 × 60 000) would become an enormous image.
            let short = min(image.width, image.height), long = max(image.width, image.height)
            guard Double(size) * Double(long) / Double(short) * Double(size) <= Double(ImageDecoder.defaultMaxPixels) else {
                throw HNASError.op("resize", why: "a \(image.width)x\(image.height) image resized to shorter side \(size) would exceed \(ImageDecoder.defaultMaxPixels) pixels")
            }
            return try normalized(image.resized(shorterSide: size, filter: filter).centerCropped(width: size, height: size))
        case .roundedTensorBilinear:
            return try tensor(fromArray: Tensor(shape: [image.channels, image.height, image.width], scalars: image.planarValues()))
        }
    }

    /// The tensor of an image given as a C × H × W array of sample values (MM-IMDB's `.npy`
    /// posters). Only the `roundedTensorBilinear` geometry works on arrays.
    /// - Throws: `HNASError` for another geometry or a malformed array.
    public func tensor(fromArray array: Tensor) throws -> Tensor {
        guard case .roundedTensorBilinear(let size) = geometry, normalization == nil else {
            throw HNASError.op("image preprocessing", why: "a pixel array needs the MM-IMDB preprocessing (rounded bilinear resize, no normalisation)")
        }
        guard array.shape.count == 3, array.shape[0] == colorModel.rawValue else {
            throw HNASError.op("image preprocessing", why: "expects a \(colorModel.rawValue) x H x W array, got shape \(array.shape)")
        }
        return try TensorBilinearResize(height: size, width: size, roundsToIntegers: true).apply(array)
    }

    private func normalized(_ image: PixelImage) throws -> Tensor {
        try (normalization ?? ChannelNormalization.unit(channels: image.channels)).tensor(from: image)
    }
}
