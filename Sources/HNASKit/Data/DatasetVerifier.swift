import Foundation

/// Decodes every file of a dataset and reports every one that fails, instead of stopping at the first.
///
/// This is what `hnas data check` runs after the layout listing: each distinct input file and label
/// file is decoded once (on `threads` threads), failures are collected with their paths, and the
/// shapes each input decodes to are counted so inconsistent samples show up before training.
public enum DatasetVerifier {
    /// What decoding the whole dataset found.
    public struct Report {
        /// Every decoding failure, sorted by message (each names its file).
        public var failures: [HNASError] = []
        /// Per input (in `Dataset.inputs` order): decoded shape → number of sources.
        public var shapes: [[[Int]: Int]] = []
        /// The number of distinct input sources decoded.
        public var decodedInputs = 0
        /// The number of sample labels checked (class range, or multi-hot file decoded).
        public var checkedLabels = 0
    }

    /// Decodes every distinct source and label of every split of `dataset`.
    public static func verify(_ dataset: Dataset, threads: Int) -> Report {
        // Distinct jobs: (input index or -1 for the label, sample) keyed by file path.
        var jobs: [(input: Int, sample: Sample)] = []
        var seen = Set<String>()
        for split in dataset.splits {
            for sample in split.samples {
                for input in dataset.inputs.indices where seen.insert("\(input):\(sample.inputs[input].location)").inserted {
                    jobs.append((input, sample))
                }
                if case .file(let url) = sample.label, seen.insert("label:\(url.path)").inserted {
                    jobs.append((-1, sample))
                } else if case .index = sample.label, seen.insert("label:\(sample.id)").inserted {
                    jobs.append((-1, sample))
                }
            }
        }
        let lock = NSLock()
        var report = Report()
        report.shapes = Array(repeating: [:], count: dataset.inputs.count)
        let workers = max(1, min(threads, jobs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var failures: [HNASError] = []
            var shapes: [[[Int]: Int]] = Array(repeating: [:], count: dataset.inputs.count)
            for j in stride(from: worker, to: jobs.count, by: workers) {
                let (input, sample) = jobs[j]
                do {
                    if input < 0 {
                        _ = try dataset.decodeLabel(of: sample)
                    } else {
                        shapes[input][try dataset.decodeInput(input, of: sample).shape, default: 0] += 1
                    }
                } catch let error as HNASError {
                    failures.append(error)
                } catch {
                    let path = input < 0 ? sample.id : sample.inputs[input].location
                    failures.append(.file(path, "cannot decode", why: "\(error)"))
                }
            }
            lock.lock()
            report.failures += failures
            for input in shapes.indices { report.shapes[input].merge(shapes[input], uniquingKeysWith: +) }
            lock.unlock()
        }
        report.failures.sort { $0.description < $1.description }
        report.checkedLabels = jobs.filter { $0.input < 0 }.count
        report.decodedInputs = jobs.count - report.checkedLabels
        return report
    }
}
