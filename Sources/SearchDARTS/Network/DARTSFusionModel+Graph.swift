import HNASKit

extension DARTSFusionModel: GraphEmittingFusion {
    /// The derived network on the backbones' unpooled features (see `DerivedNetwork.emitGraph`).
    public func emitGraph(features: [GraphValue], into builder: GraphBuilder, foldBatchNorm: Bool) throws -> GraphValue {
        try network.emitGraph(features: features, length: length, into: builder, foldBatchNorm: foldBatchNorm)
    }
}
