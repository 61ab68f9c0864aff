import ArgumentParser
import Foundation
import HNASKit

/// `hnas data check DIR --dataset …`: the layout, the pairing, and a decode of every file, reporting
/// every problem (not just the first) and exiting non-zero if there is any.
struct DataCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a dataset: counts per split and class, unpaired samples, every unreadable file.",
        discussion: """
            Decodes every input through the registered modality plugins, lists every problem, and exits with status 1 if there is any.

            Example:
              hnas data check Data/avmnist-sample --dataset avmnist
            """
    )

    @OptionGroup var arguments: DatasetArguments

    func run() throws {
        let registry = makeRegistry()
        let pipeline = try arguments.pipeline(registry)
        let listing = pipeline.list(root: arguments.root)
        let classNames = pipeline.labelKind == .singleLabel ? pipeline.classNames : nil
        for split in listing.splits {
            print("\(split.name): \(split.samples.count) samples" + Self.perClass(split, classNames: classNames))
        }
        for note in listing.notes { print("note: \(note)") }
        var problems = listing.problems
        do {
            let dataset = try pipeline.dataset(splits: listing.splits, registry: registry)
            let report = DatasetVerifier.verify(dataset, threads: arguments.threads)
            for (input, shapes) in zip(dataset.inputs, report.shapes) {
                let described = shapes.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
                print("\(input.name): \(described.isEmpty ? "nothing decoded" : described)")
                if shapes.count > 1 {
                    problems.append(HNASError("inconsistent shapes in input", .argument(input.name), why: described))
                }
            }
            print("decoded \(report.decodedInputs) inputs, checked \(report.checkedLabels) labels")
            problems += report.failures
        } catch let error as HNASError {
            problems.append(error) // a modality plugin this build lacks: the layout was still checked
        }
        for problem in problems { print("problem: \(problem)") }
        guard problems.isEmpty else {
            throw HNASError("data check failed", .file(arguments.dir), why: "\(problems.count) problem\(problems.count == 1 ? "" : "s") (listed above)")
        }
        print("ok")
    }

    /// "  per class: 105 105 …" for single-label data (multi-label counts come from `hnas data stats`).
    private static func perClass(_ split: DatasetSplit, classNames: [String]?) -> String {
        guard let classNames else { return "" }
        var counts = [Int](repeating: 0, count: classNames.count)
        for sample in split.samples {
            if case .index(let c) = sample.label, counts.indices.contains(c) { counts[c] += 1 }
        }
        return "  per class: " + counts.map(String.init).joined(separator: " ")
    }
}
