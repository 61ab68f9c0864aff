import HNASKit

/// The Maxout text backbone of one dataset seen as a `Backbone` plugin (`maxout-mmimdb-text`,
/// `maxout-memes-text`).
///
/// In Harmonic-NAS it is NOT searched (SPEC-backbone §3): one fixed architecture (first hidden 128,
/// 2 blocks, factor 2, 4 pieces, dropout 0.3 — the README's "hidden_features 128, n_blocks 2,
/// factor_multiplier 2" is this constant default) with pretrained weights. So its genome is empty:
/// sampling, mutation and crossover give the empty config, and it has no layer descriptors because its
/// latency and energy are not part of any objective (SPEC-hardware §2); the original only prints
/// `informationalLatencyMs` / `informationalEnergyMJ` next to its best models.
public struct MaxoutBackbone: Backbone, Sendable {
    public let name: String
    /// The dataset pipeline whose text input it reads (`mmimdb` or `memes`).
    public let dataset: String
    /// The text input width: MM-IMDB's 300-d word2vec vector, Memes' 77 token ids as floats.
    public let inputFeatures: Int
    /// The number of logits: MM-IMDB's 23 genres, Memes' 3 harm levels.
    public let classes: Int
    /// Samples per training step: the dataset's original training batch (MM-IMDB 16, Memes 64).
    public let trainingBatchSize: Int

    public init(name: String, dataset: String, inputFeatures: Int, classes: Int, trainingBatchSize: Int) {
        self.name = name
        self.dataset = dataset
        self.inputFeatures = inputFeatures
        self.classes = classes
        self.trainingBatchSize = trainingBatchSize
    }

    /// MM-IMDB: `Our_Maxout()` defaults, 300 → 23.
    public static let mmimdb = MaxoutBackbone(name: "maxout-mmimdb-text", dataset: "mmimdb", inputFeatures: 300, classes: 23,
                                                  trainingBatchSize: MMIMDB.batching.trainBatchSize)
    /// Memes-Politics: `Our_Maxout(number_input_feats=77, num_outputs=3)` (the best-model script's, SPEC-backbone pitfall 2).
    public static let memes = MaxoutBackbone(name: "maxout-memes-text", dataset: "memes", inputFeatures: 77, classes: 3,
                                                 trainingBatchSize: Memes.batching.trainBatchSize)
    /// Both stock instances.
    public static let stock = [mmimdb, memes]

    /// The text backbone cost the original's best-model scripts print for information (not counted).
    public static let informationalLatencyMs = 1.09
    public static let informationalEnergyMJ = 1.40

    /// The stock instance reading `dataset`'s text input.
    /// - Throws: `HNASError` for a dataset without a Maxout text backbone.
    public static func stock(dataset: String) throws -> MaxoutBackbone {
        guard let backbone = stock.first(where: { $0.dataset == dataset }) else {
            throw HNASError.argument("--dataset", why: "'\(dataset)' has no Maxout text backbone (datasets: \(stock.map(\.dataset).joined(separator: ", ")))")
        }
        return backbone
    }

    /// No genes: the architecture is fixed.
    public var geneOrder: [String] { [] }
    public var searchSpace: [String: [[Int]]] { [:] }

    /// Empty: the text backbone has no entry in the hardware tables and its cost is not added.
    /// - Throws: `HNASError` when `config` has genes.
    public func layerDescriptors(_ config: BackboneConfig) throws -> [LayerDescriptor] {
        try validate(config)
        return []
    }

    /// A freshly initialised network of this shape (weights from `seed`; load trained ones by name).
    public func makeMaxoutNetwork(seed: UInt64 = 0) -> MaxoutNetwork {
        MaxoutNetwork(inputFeatures: inputFeatures, outputs: classes, seed: seed)
    }
}
