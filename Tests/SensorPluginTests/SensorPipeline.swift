import Foundation
import HNASKit

/// A test-only pipeline: `<root>/{train,test}.csv`, one sample per line `label,a;b;c…,x;y;z…` — two sensor
/// channels (an accelerometer and a gyroscope, say), both read by the searched `SensorBackbone`, 3 classes.
struct SensorPipeline: Pipeline {
    static let key = "sensor"
    let name = SensorPipeline.key
    let summary = "synthetic two-channel sensor signals, 3 classes (test plugin)"
    let inputs = [
        PipelineInput(modality: "accel", role: .searched, backbone: SensorBackbone.key, fusionFeatures: 2),
        PipelineInput(modality: "gyro", role: .searched, backbone: SensorBackbone.key, fusionFeatures: 2),
    ]
    let labelKind = LabelKind.singleLabel
    let classNames = ["rest", "walk", "run"]
    let splits = PipelineSplits()
    let hardwareKey = SensorPipeline.key
    let defaultHardware = SensorBoard.key
    let macroSpace = MacroSpace(defaultCells: 1, cellCandidates: [2], defaultNodes: 1, nodeCandidates: [2])
    let budget = SearchBudget(population: 2, generations: 1, fusionEpochs: 1, supernetEpochs: 1, fixedEpochs: 1)

    func list(root: URL) -> DatasetListing {
        var listing = DatasetListing()
        for split in ["train", "test"] {
            let file = root.appendingPathComponent("\(split).csv")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                listing.problems.append(.file(file.path, "missing sensor split", why: "the sensor layout needs \(split).csv"))
                continue
            }
            var samples: [Sample] = []
            for (n, line) in text.split(separator: "\n").enumerated() {
                let fields = line.split(separator: ",").map(String.init)
                guard fields.count == 3, let label = Int(fields[0]), classNames.indices.contains(label) else {
                    listing.problems.append(.file("\(file.path):\(n + 1)", "invalid sample", why: "expected label,accel,gyro"))
                    continue
                }
                samples.append(Sample(id: "\(split)-\(n)", inputs: [.text(fields[1]), .text(fields[2])], label: .index(label)))
            }
            listing.splits.append(DatasetSplit(name: split, samples: samples))
        }
        return listing
    }

    func dataset(splits: [DatasetSplit], registry: Registry) throws -> Dataset {
        let sensor = DatasetInput(modality: try registry.modalities.make("sensor"), options: [:])
        return Dataset(name: name, inputs: ["accel", "gyro"].map { input in DatasetInput(name: input, decode: sensor.decode) },
                       classNames: classNames, isMultiLabel: false, splits: splits)
    }
}
