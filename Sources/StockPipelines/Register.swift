import HNASKit

/// Adds the stock pipelines (`avmnist`, `mmimdb`, `memes`) to `registry`; the `hnas` executable calls it at start-up.
public func register(into registry: inout Registry) {
    for pipeline: any Pipeline in [AVMNISTPipeline(), MMIMDBPipeline(), MemesPipeline()] {
        registry.pipelines.register(pipeline.name, summary: pipeline.summary) { pipeline }
    }
}
