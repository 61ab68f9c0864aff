import Foundation
import HNASKit

/// Converts the published `multimodal_imdb.hdf5` into the per-sample `.npy` layout `MMIMDB` reads
/// (SPEC-hardware-and-data §3.2), streaming one row at a time.
///
/// Row i's IMDb id decides its stage and index k through the split file; its image (C × H × W),
/// text feature and genre row are written, in the HDF5 file's own numeric types, as
/// `<stage>/{image,text,label}_{k:06d}.npy`. Everything is checked before the first write (the four
/// datasets exist, have one row per id and the expected ranks, the ids are unique and match the
/// split file exactly) and written into a temporary folder next to the destination, renamed at the
/// end, so a failure or interruption never leaves a half-converted dataset under the final name.
struct MMIMDBConverter {
    /// The bundled copy of the original's split file (`data/mmimdb/mmimdb_split.json`).
    static var bundledSplit: URL? { Bundle.module.url(forResource: "mmimdb_split", withExtension: "json") }

    let hdf5: URL
    let split: MMIMDBSplit
    let splitData: Data

    /// Prepares `out`, calling `progress(done, total)` every `every` rows.
    /// - Throws: `HNASError` naming the file and the problem; `out` is untouched on failure.
    func prepare(out: URL, every: Int = 1000, progress: (Int, Int) -> Void = { _, _ in }) throws {
        guard !FileManager.default.fileExists(atPath: out.path) else {
            throw HNASError.file(out.path, "will not overwrite", why: "the output folder already exists")
        }
        let file = try HDF5File(path: hdf5.path)
        let ids = try file.dataset("imdb_ids").strings()
        let images = try file.dataset("images"), features = try file.dataset("features"), genres = try file.dataset("genres")
        for (dataset, rank) in [(images, 4), (features, 2), (genres, 2)] where dataset.shape.count != rank || dataset.shape[0] != ids.count {
            throw HNASError.file(hdf5.path, "unexpected HDF5 dataset shape",
                                 why: "'\(dataset.name)' has shape \(dataset.shape); expected \(rank) dimensions with \(ids.count) rows (one per imdb_ids entry)")
        }
        guard genres.shape[1] == MMIMDB.genres.count else {
            throw HNASError.file(hdf5.path, "unexpected HDF5 dataset shape", why: "'genres' has \(genres.shape[1]) columns, expected \(MMIMDB.genres.count)")
        }
        let positions = try stagePositions(ids)

        try AtomicFolder.write(out, "cannot write prepared MM-IMDB") { temporary in
            for stage in MMIMDBSplit.stages {
                try FileManager.default.createDirectory(at: temporary.appendingPathComponent(stage), withIntermediateDirectories: true)
            }
            try splitData.write(to: temporary.appendingPathComponent(MMIMDB.splitFileName))
            for (row, position) in positions.enumerated() {
                let folder = temporary.appendingPathComponent(position.stage)
                for (part, dataset) in zip(MMIMDB.parts, [images, features, genres]) {
                    try dataset.row(row).write(to: folder.appendingPathComponent(MMIMDB.fileName(part, index: position.index)))
                }
                if (row + 1) % every == 0 || row + 1 == positions.count { progress(row + 1, positions.count) }
            }
        }
    }

    /// The stage and index of every row; the ids must be unique and exactly the split file's.
    private func stagePositions(_ ids: [String]) throws -> [(stage: String, index: Int)] {
        var seen: [String: Int] = [:]
        let positions = try ids.enumerated().map { row, id -> (stage: String, index: Int) in
            if let first = seen.updateValue(row, forKey: id) {
                throw HNASError.file(hdf5.path, "duplicate sample", why: "IMDb id '\(id)' is in rows \(first) and \(row) of 'imdb_ids'")
            }
            guard let position = split.position(of: id) else {
                throw HNASError.file(hdf5.path, "sample in no split", why: "IMDb id '\(id)' (row \(row)) is in none of the split file's lists")
            }
            return position
        }
        guard ids.count == split.count else {
            let missing = MMIMDBSplit.stages.flatMap { split.ids[$0] ?? [] }.filter { seen[$0] == nil }
            throw HNASError.file(hdf5.path, "missing samples",
                                 why: "\(missing.count) ids of the split file are not in 'imdb_ids' (first: \(missing.prefix(3).joined(separator: ", ")))")
        }
        return positions
    }
}
