import HNASKit

/// The chain that turns a decoded image into a backbone's input tensor: colour model, geometry,
/// then scaling/normalisation — described by a pipeline's options (`init(options:)`), or built directly.
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

    /// The option keys `init(options:)` reads.
    public static let optionKeys = ["color", "resize", "size", "filter", "mean", "std"]

    /// The preprocessing a pipeline's `ModalityOptions` describe:
    /// - `color`: `"gray"` or `"rgb"` (default `"rgb"`);
    /// - `resize`: absent or `"none"` keeps the decoded size; `"shorter-side-center-crop"` is torchvision's
    ///   `Resize(size, filter)` on the PIL image then `CenterCrop(size)` (`filter`: `"bicubic"` (default) or
    ///   `"bilinear"`); `"tensor-bilinear-rounded"` is PyTorch's bilinear interpolation of the sample values to
    ///   `size × size` without antialiasing, rounded half-to-even (MM-IMDB's posters, also read from `.npy` arrays);
    /// - `size`: the side for a resize;
    /// - `mean`, `std`: `ToTensor` + `Normalize(mean, std)`, one value per channel; without them decoded images
    ///   are only scaled to [0, 1] (`ToTensor`) and the rounded-bilinear geometry keeps raw sample values.
    ///
    /// The stock pipelines' options: AV-MNIST `{"color": "gray", "mean": [0.5], "std": [0.5]}`; MM-IMDB
    /// `{"color": "rgb", "resize": "tensor-bilinear-rounded", "size": 224}`; Memes `{"color": "rgb", "resize":
    /// "shorter-side-center-crop", "size": 112, "filter": "bicubic", "mean"/"std": CLIP's}`.
    /// - Throws: `HNASError` naming the option that is unknown, of the wrong type, or inconsistent.
    public init(options: ModalityOptions) throws {
        let modality = "image"
        try options.requireKeys(in: Self.optionKeys, modality: modality)
        switch try options.string("color", modality: modality) ?? "rgb" {
        case "gray": colorModel = .gray
        case "rgb": colorModel = .rgb
        case let other: throw options.failure(modality, "color", "'\(other)' is not gray or rgb")
        }
        let size = try options.positiveInt("size", modality: modality)
        func requireSize() throws -> Int {
            guard let size else { throw options.failure(modality, "size", "missing: the resize needs a size") }
            return size
        }
        let filterName = try options.string("filter", modality: modality)
        switch try options.string("resize", modality: modality) ?? "none" {
        case "none":
            guard size == nil, filterName == nil else { throw options.failure(modality, size == nil ? "filter" : "size", "given without a resize") }
            geometry = .unchanged
        case "shorter-side-center-crop":
            let name = filterName ?? ResampleFilter.bicubic.rawValue
            guard let filter = ResampleFilter(rawValue: name) else {
                throw options.failure(modality, "filter", "'\(name)' is not one of \(ResampleFilter.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            geometry = .shorterSideAndCenterCrop(size: try requireSize(), filter: filter)
        case "tensor-bilinear-rounded":
            guard filterName == nil else { throw options.failure(modality, "filter", "the rounded bilinear resize has no filter choice") }
            geometry = .roundedTensorBilinear(size: try requireSize())
        case let other:
            throw options.failure(modality, "resize", "'\(other)' is not none, shorter-side-center-crop or tensor-bilinear-rounded")
        }
        switch (try options.numbers("mean", modality: modality), try options.numbers("std", modality: modality)) {
        case (nil, nil):
            normalization = nil
        case let (mean?, std?):
            guard mean.count == colorModel.rawValue else {
                throw options.failure(modality, "mean", "has \(mean.count) values for \(colorModel.rawValue) channel(s)")
            }
            do {
                normalization = try ChannelNormalization(mean: mean.map(Float.init), std: std.map(Float.init))
            } catch let error as HNASError {
                throw options.failure(modality, "std", error.why)
            }
        case (nil, _?): throw options.failure(modality, "mean", "missing: std needs a mean")
        case (_?, nil): throw options.failure(modality, "std", "missing: mean needs a std")
        }
        if case .roundedTensorBilinear = geometry, normalization != nil {
            throw options.failure(modality, "mean", "the rounded bilinear resize keeps raw sample values (no mean/std)")
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
