import ArgumentParser
import Foundation
import HNASKit

/// `hnas data prepare mmimdb --hdf5 FILE --out DIR`: the published MM-IMDB HDF5 file → the
/// original's per-sample `.npy` layout.
struct DataPrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Convert a published dataset file into the layout hnas reads (mmimdb: HDF5 → per-sample .npy).",
        discussion: """
            Streams the HDF5 file row by row into <out>/{train,dev,test}/{image,text,label}_<k>.npy,
            ordered and split by the split file (default: the original's mmimdb_split.json, bundled),
            writing into a temporary folder that is renamed to <out> at the end.

            Example:
              hnas data prepare mmimdb --hdf5 multimodal_imdb.hdf5 --out data/mmimdb
            """
    )

    @Argument(help: "The dataset to prepare: mmimdb.")
    var dataset: String

    @Option(help: "The MM-IMDB HDF5 file (multimodal_imdb.hdf5).")
    var hdf5: String

    @Option(help: "The output folder (must not exist).")
    var out: String

    @Option(help: "A split JSON (train/dev/test id lists) instead of the bundled original one.")
    var split: String?

    func run() throws {
        let registry = makeRegistry()
        guard let pipeline = try registry.pipelines.make(dataset) as? any PreparablePipeline else {
            let preparable = registry.pipelines.names.filter { (try? registry.pipelines.make($0)) is any PreparablePipeline }
            throw HNASError.argument("dataset", why: "'\(dataset)' has no prepare step (pipelines with one: "
                                     + preparable.joined(separator: ", ") + ")")
        }
        try pipeline.prepare(source: URL(fileURLWithPath: hdf5), split: split.map { URL(fileURLWithPath: $0) },
                             out: URL(fileURLWithPath: out)) { done, total in
            FileHandle.standardError.write(Data("prepare \(dataset): \(done)/\(total) samples\n".utf8))
        }
        print("wrote \(out)")
    }
}
