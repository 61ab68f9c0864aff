import HNASKit

/// A copy of a module's parameter values and buffers, to restore the best epoch's weights.
struct ModelSnapshot {
    private let parameters: [Tensor]
    private let buffers: [Tensor]

    init(_ module: Module) {
        parameters = module.parameters.map { $0.value.detached() }
        buffers = module.namedBuffers().map { $0.1.value }
    }

    func restore(into module: Module) {
        for (p, v) in zip(module.parameters, parameters) { p.value = v }
        for ((_, b), v) in zip(module.namedBuffers(), buffers) { b.value = v }
    }
}
