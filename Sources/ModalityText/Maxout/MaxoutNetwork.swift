import HNASKit

/// Harmonic-NAS's Maxout text backbone (`Our_Maxout`, SPEC-backbone §3): blocks of a maxout unit
/// followed by BatchNorm1d and dropout, widths `firstHidden · factor^b`, then a linear head.
/// It is not searched (no genome, no table cost); its weights are loaded from the original's file.
/// The stock MM-IMDB (300 → 23) and Memes (77 → 3) shapes come from `MaxoutBackbone.makeNetwork`.
///
/// State-dict names: `op_list.<2b>.lin.weight|bias` (maxout units), `op_list.<2b+1>.0.*` (BatchNorm1d,
/// PyTorch defaults: momentum 0.1, eps 1e-5), `hid2val.weight|bias` (head). `outputs(_:)` returns the
/// original's list: every maxout output (before its BN/dropout), then the logits — the first ones are
/// the fusion network's text inputs. Training mode uses batch statistics and dropout, evaluation mode
/// the running statistics and no dropout.
public final class MaxoutNetwork: Module {
    /// Alternating maxout units and (BatchNorm1d, Dropout) pairs, the original's `op_list`.
    public let opList: Sequential
    public let hid2val: Linear
    /// The width of an input vector (MM-IMDB 300, Memes 77).
    public let inputFeatures: Int
    /// The width of every maxout unit's output, in order (default [128, 256]).
    public let hiddenWidths: [Int]
    /// The number of logits.
    public let classes: Int
    public var isTraining = true

    public init(inputFeatures: Int = 300, outputs: Int = 23, firstHidden: Int = 128, blocks: Int = 2, factor: Int = 2,
                dropout: Float = 0.3, pieces: Int = 4, seed: UInt64 = 0) {
        precondition(inputFeatures > 0 && outputs > 0 && firstHidden > 0 && blocks > 0 && factor > 0 && pieces > 0,
                     "invalid Maxout network shape")
        var g = SeededGenerator(seed: seed)
        var layers: [Layer] = []
        var widths: [Int] = []
        var width = inputFeatures, hidden = firstHidden
        for b in 0..<blocks {
            if b > 0 { hidden *= factor }
            layers.append(MaxoutUnit(inFeatures: width, units: hidden, pieces: pieces, generator: &g))
            layers.append(Sequential([BatchNorm(features: hidden), Dropout(probability: dropout, generator: g.fork())]))
            widths.append(hidden)
            width = hidden
        }
        opList = Sequential(layers)
        hid2val = Linear(inFeatures: width, outFeatures: outputs, generator: &g)
        self.inputFeatures = inputFeatures
        self.hiddenWidths = widths
        self.classes = outputs
    }

    public var children: [(String, Module)] { [("op_list", opList), ("hid2val", hid2val)] }

    /// `[maxout 0 (N×128), maxout 1 (N×256), …, logits]` for inputs [N, inputFeatures].
    /// - Throws: `HNASError` when `x` is not [N, inputFeatures], or in training mode for N = 1
    ///   (batch statistics need more than one sample, as in PyTorch).
    public func outputs(_ x: Tensor) throws -> [Tensor] {
        guard x.rank == 2, x.shape[1] == inputFeatures else {
            throw HNASError.op("MaxoutNetwork", why: "input \(x.shape) is not N×\(inputFeatures)")
        }
        var list: [Tensor] = []
        var h = x
        for (i, layer) in opList.layers.enumerated() {
            h = try layer(h)
            if i % 2 == 0 { list.append(h) }
        }
        list.append(try hid2val(h))
        return list
    }

    /// The logits.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try outputs(x).last! }
}
