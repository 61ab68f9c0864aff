/// The processes of one distributed run (`--distributed mpi`), numbered 0..<size, each running the
/// same command. Rank 0 owns every file the run writes; the others compute and send.
///
/// Every collective (all methods but `send`, `receive` and `abort`) must be called by every process in the same order.
/// A failed transport is not returned as an error: the implementation ends the whole job with a
/// message naming the failing process, because the other processes would otherwise wait forever.
/// `sum` (from `BatchStatisticsReducer`) is the all-reduce that synchronised BatchNorm and the
/// fused gradient buffer of data-parallel training use.
public protocol Communicator: BatchStatisticsReducer {
    /// This process's number, 0 for the process that writes files.
    var rank: Int { get }
    /// Processes in the run.
    var size: Int { get }
    /// Rank 0's `bytes` on every process (the others' arguments are ignored).
    func broadcast(_ bytes: [UInt8]) -> [UInt8]
    /// Every process's `bytes`, in rank order, on every process.
    func allGather(_ bytes: [UInt8]) -> [[UInt8]]
    /// Waits until every process has called it.
    func barrier()
    /// Sends `bytes` to process `rank` with the message kind `tag` (point to point, not a collective).
    func send(_ bytes: [UInt8], to rank: Int, tag: Int)
    /// The next message of kind `tag` from any process, waiting for it without spinning a core.
    func receive(tag: Int) -> (source: Int, bytes: [UInt8])
    /// Ends every process of the job at once (after an error only this process saw), printing
    /// `message` with this process's rank; never returns.
    func abort(_ message: String) -> Never
}

extension Communicator {
    /// Whether this process writes the run's files and progress.
    public var isRoot: Bool { rank == 0 }

    /// Every process's `values`, concatenated in rank order (for per-shard results such as logits).
    public func allGather(_ values: [Float]) -> [Float] {
        allGather(values.withUnsafeBytes { Array($0) }).flatMap { bytes in
            bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
    }

    /// Checks that every process computed the same `fingerprint` of `what` (its configuration,
    /// weights or data), so that processes started with different inputs stop at once.
    /// - Throws: `CollectiveError` (on every process alike) naming the first rank that differs from rank 0.
    public func requireSame(_ what: String, fingerprint: Fingerprint) throws {
        var value = fingerprint.value
        let all = allGather(withUnsafeBytes(of: &value) { Array($0) })
        if let other = all.indices.first(where: { all[$0] != all[0] }) {
            throw CollectiveError(HNASError.argument("--distributed",
                                                     why: "rank \(other) has different \(what) than rank 0 (fingerprints differ); start every rank with the same command and files"))
        }
    }
}

/// An error every process of a distributed run raised alike (e.g. a failed start-up check): rank
/// 0 reports it once and every process ends normally, instead of aborting the job.
public struct CollectiveError: Error, CustomStringConvertible {
    public let error: HNASError
    public init(_ error: HNASError) { self.error = error }
    public var description: String { "\(error)" }
}
