/// Where one process's rows sit inside a global batch that several processes train on together
/// (data-parallel training): rows `offset..<offset + count` of `total`.
///
/// Layers that draw random numbers per sample (dropout) draw them for the whole global batch and
/// keep their own rows, so a sharded run consumes the random stream exactly as one process
/// training on the whole batch does.
public struct BatchShard: Equatable, Sendable {
    public var offset: Int
    public var count: Int
    public var total: Int

    public init(offset: Int, count: Int, total: Int) {
        precondition(offset >= 0 && count > 0 && offset + count <= total, "shard \(offset)+\(count) outside a batch of \(total)")
        self.offset = offset
        self.count = count
        self.total = total
    }

    /// The shard of process `rank` of `processes` in a batch of `total` rows: contiguous, in rank
    /// order, sizes differing by at most one (the first `total % processes` ranks take one more).
    public init(rank: Int, of processes: Int, total: Int) {
        let base = total / processes, extra = total % processes
        self.init(offset: rank * base + Swift.min(rank, extra), count: base + (rank < extra ? 1 : 0), total: total)
    }

    /// The shard's rows of `rows`, a per-row array over the whole batch.
    public func slice<T>(_ rows: [T]) -> [T] { Array(rows[offset..<offset + count]) }
}
