import Foundation

/// A pipeline whose dataset is published in a form it does not read directly, converted once into its layout
/// by `hnas data prepare NAME` (MM-IMDB: `multimodal_imdb.hdf5` → per-sample `.npy` files). The command asks
/// the pipeline for this capability, so a new pipeline with a prepare step needs no edit of the tool.
public protocol PreparablePipeline: Pipeline {
    /// Converts `source` (the published file) into the pipeline's layout at `out`, which must not exist, with the
    /// split file `split` instead of the pipeline's own when given; `progress(done, total)` reports now and then.
    /// - Throws: `HNASError` naming the file and the problem; nothing is left at `out` on error.
    func prepare(source: URL, split: URL?, out: URL, progress: (Int, Int) -> Void) throws
}
