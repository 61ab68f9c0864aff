/// Sums vectors element-wise over the processes that each hold a shard of one global batch, so
/// `BatchNorm` can normalise with the statistics of the whole batch (synchronised BatchNorm) and
/// data-parallel training computes what one process computes on the whole batch.
///
/// Every process calls `sum` the same number of times with vectors of the same length (the
/// networks run the same subnet on every process). A failure of the transport is not returned:
/// the implementation ends the job with a message naming the process.
public protocol BatchStatisticsReducer: AnyObject {
    /// Replaces `values` with their element-wise sum over all processes.
    func sum(_ values: inout [Float])
}
