import HardwareTX2
import HNASKit
import SearchDARTS
import StockPipelines

/// The stock pipelines and their costed backbones, resolved through a registry as `hnas lut` and a search do.
enum StockCosting {
    static var registry: Registry {
        var registry = Registry()
        registerStockBackbones(into: &registry)
        StockPipelines.register(into: &registry)
        return registry
    }

    static func pipeline(_ dataset: String) throws -> any Pipeline { try registry.pipelines.make(dataset) }

    /// The OFA backbones whose cost counts for `dataset`, in the original's summation order.
    static func backbones(_ dataset: String) throws -> [OFABackbone] {
        try pipeline(dataset).costedBackbones(registry: registry).map { $0.backbone as! OFABackbone }
    }

    /// Every layer configuration the host profiler measures for `dataset`.
    static func layers(_ dataset: String) throws -> [ProfiledLayer] {
        try ProfiledLayer.searchSpace(backbones: try backbones(dataset))
    }

    /// The estimate `hnas lut estimate --dataset DATASET` prints (fusion genotypes read by the DARTS plugin).
    static func estimate(_ architecture: Architecture, dataset: String, on model: any HardwareModel) throws -> ArchitectureCost {
        try ArchitectureCost.estimate(architecture, pipeline: try pipeline(dataset), registry: registry, on: model, fusion: DARTSFusionSearch())
    }
}
