/// The latency and energy of a multimodal architecture on one device (SPEC-hardware §2): each
/// counted backbone, then the fusion network, summed in that order.
public struct ArchitectureCost: Encodable, Sendable {
    /// One titled part of the total: a backbone (`image`, `audio`) or `fusion`.
    public struct Section: Encodable, Sendable {
        public var title: String
        public var report: CostReport

        /// `{"title", "rows", "total"}`.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(title, forKey: .title)
            try container.encode(report.rows, forKey: .rows)
            try container.encode(report.total, forKey: .total)
        }
    }

    public var device: String
    public var dataset: String
    public var sections: [Section]
    /// What was not counted and why (text backbones, a missing genotype).
    public var notes: [String]

    private enum Keys: String, CodingKey {
        case device, dataset, sections, total, notes, title, rows
    }

    /// `{"device", "dataset", "sections", "total", "notes"}`, totals included for readers of the JSON.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(device, forKey: .device)
        try container.encode(dataset, forKey: .dataset)
        try container.encode(sections, forKey: .sections)
        try container.encode(total, forKey: .total)
        try container.encode(notes, forKey: .notes)
    }

    /// The original's plain sum over all sections.
    public var total: Cost { sections.reduce(Cost.zero) { $0 + $1.report.total } }
    /// True when any row was predicted instead of measured.
    public var hasPredictedRows: Bool { sections.contains { !$0.report.predictedRows.isEmpty } }

    /// Costs `architecture` of `pipeline` on `model`: its costed backbones (`Pipeline.costedBackbones`: AV-MNIST
    /// = image + audio; MM-IMDB and Memes = image, the text backbone is not counted, as in the original), then the
    /// fusion network. The backbones are priced on the tables of the pipeline's hardware key (and attached to the
    /// model first, so a host model knows their layers); the fusion genotype is read by `fusion`, the plugin whose
    /// format it is (e.g. the `darts` search).
    /// - Throws: `HNASError` for a pipeline the model has no tables for, a dataset mismatch, configs outside the
    ///   space, an unregistered backbone, or a genotype `fusion` rejects.
    public static func estimate(_ architecture: Architecture, pipeline: any Pipeline, registry: Registry,
                                on model: any HardwareModel, fusion: any FusionSearch) throws -> ArchitectureCost {
        let dataset = pipeline.name, key = pipeline.hardwareKey
        let counted = try pipeline.costedBackbones(registry: registry)
        model.attach(backbones: counted.map { $0.backbone }, dataset: key)
        guard model.datasets.contains(key) else {
            throw HNASError.argument("--dataset", why: "'\(dataset)' is not known to \(model.name) (valid: "
                                     + model.datasets.joined(separator: ", ") + ")")
        }
        if let recorded = architecture.dataset, recorded != dataset {
            throw HNASError.argument("dataset", why: "the architecture is for '\(recorded)', not '\(dataset)'")
        }
        try architecture.validate(backbones: Dictionary(uniqueKeysWithValues: counted.map { ($0.modality, $0.backbone) }))

        var sections: [Section] = []
        for (modality, backbone) in counted {
            let layers = try backbone.layerDescriptors(architecture.backbones[modality]!)
            sections.append(Section(title: modality, report: try model.backboneCost(layers, dataset: key)))
        }
        var notes = architecture.backbones.keys.sorted()
            .filter { modality in !counted.contains { $0.modality == modality } }
            .map { "backbone '\($0)' is not counted (the original adds only the OFA backbones of \(dataset))" }
        if let architecture = architecture.fusion, architecture.genotype != nil {
            let operators = try fusion.operators(of: architecture)
            if model.measuresFusionOperators {
                sections.append(Section(title: "fusion", report: try model.fusionCost(operators: operators)))
            } else {
                notes.append("the fusion network is not counted: \(model.name) has no fusion-operator costs")
            }
        } else {
            notes.append("no fusion genotype given: the fusion network is not counted")
        }
        return ArchitectureCost(device: model.name, dataset: dataset, sections: sections, notes: notes)
    }
}
