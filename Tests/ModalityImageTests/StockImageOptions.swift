import HNASKit
@testable import ModalityImage
import XCTest

/// The image options the stock pipelines give this modality (StockPipelinesTests checks that the pipelines
/// declare exactly these): the fixtures' `dataset` names one of them.
enum StockImageOptions {
    static let byDataset: [String: ModalityOptions] = [
        "avmnist": ["color": "gray", "mean": [0.5], "std": [0.5]],
        "mmimdb": ["color": "rgb", "resize": "tensor-bilinear-rounded", "size": 224],
        "memes": ["color": "rgb", "resize": "shorter-side-center-crop", "size": 112, "filter": "bicubic",
                  "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711]],
    ]

    static func options(_ dataset: String) throws -> ModalityOptions { try XCTUnwrap(byDataset[dataset], dataset) }

    static func preprocessing(_ dataset: String) throws -> ImagePreprocessing { try ImagePreprocessing(options: options(dataset)) }
}
