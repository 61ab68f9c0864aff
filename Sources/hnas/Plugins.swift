import HardwareTX2
import HNASKit
import ModalityAudio
import ModalityImage
import ModalityText
import SearchDARTS
import SearchEvolution
import StockPipelines

/// The registry with every stock plugin; a new plugin target adds one line here.
func makeRegistry() -> Registry {
    var registry = Registry()
    registerStockBackbones(into: &registry)
    ModalityImage.register(into: &registry)
    ModalityAudio.register(into: &registry)
    ModalityText.register(into: &registry)
    SearchEvolution.register(into: &registry)
    SearchDARTS.register(into: &registry)
    HardwareTX2.register(into: &registry)
    StockPipelines.register(into: &registry)
    return registry
}
