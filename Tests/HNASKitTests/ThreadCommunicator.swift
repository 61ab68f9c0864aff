import Foundation
import HNASKit
import HNASTestSupport

/// One thread of a `ThreadGroup` as a `Communicator`, so data-parallel code runs in a test process.
final class ThreadCommunicator: ThreadReducer, Communicator {
    var size: Int { group.size }

    func broadcast(_ bytes: [UInt8]) -> [UInt8] { group.exchange(rank: rank, bytes)[0] }
    func allGather(_ bytes: [UInt8]) -> [[UInt8]] { group.exchange(rank: rank, bytes) }
    func barrier() { _ = group.exchange(rank: rank, []) }
    func send(_ bytes: [UInt8], to rank: Int, tag: Int) { group.post(bytes, from: self.rank, to: rank, tag: tag) }
    func receive(tag: Int) -> (source: Int, bytes: [UInt8]) { group.take(rank: rank, tag: tag) }
    func abort(_ message: String) -> Never { fatalError("rank \(rank): \(message)") }
}
