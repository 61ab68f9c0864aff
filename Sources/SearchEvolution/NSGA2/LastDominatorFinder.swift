/// Finds, for a point of the next front, the last member (by position) of a front that dominates it.
///
/// A point of a later front equals no member, so a member dominates it iff it is no worse in every
/// objective. Per objective, the members no worse than the point form a prefix of the members sorted by
/// that objective; prefix bitsets (bit = member position) turn the query into a binary search per
/// objective, an AND of bitsets and a highest-set-bit. Fronts too large for the bitsets fall back to
/// scanning members from the last position down.
struct LastDominatorFinder {
    private let points: ObjectiveMatrix
    private let front: [Int]
    private let words: Int
    /// Per objective: the members' values sorted ascending, and after the i-th of them the bitset of the first i+1.
    private var sortedValues: [[Double]] = []
    private var prefixBits: [[UInt64]] = []

    static let maximumBitsetMembers = 4096

    init(front: [Int], points: ObjectiveMatrix) {
        self.points = points
        self.front = front
        words = (front.count + 63) / 64
        guard front.count <= Self.maximumBitsetMembers else { return }
        for j in 0..<points.dimension {
            let byValue = front.indices.sorted { points[front[$0], j] < points[front[$1], j] }
            sortedValues.append(byValue.map { points[front[$0], j] })
            var bits = [UInt64](repeating: 0, count: front.count * words)
            var running = [UInt64](repeating: 0, count: words)
            for (i, position) in byValue.enumerated() {
                running[position / 64] |= 1 << UInt64(position % 64)
                bits.replaceSubrange(i * words ..< (i + 1) * words, with: running)
            }
            prefixBits.append(bits)
        }
    }

    func lastDominator(of q: Int) -> Int {
        guard !prefixBits.isEmpty else {
            var last = front.count - 1
            while !points.dominates(front[last], q) { last -= 1 } // a later front's point has a dominator here
            return last
        }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { mask in
            mask.initialize(repeating: ~0)
            for j in 0..<points.dimension {
                // Count of members with value <= q's.
                let target = points[q, j]
                let count = sortedValues[j].withUnsafeBufferPointer { values in
                    var low = 0, high = values.count
                    while low < high {
                        let mid = (low + high) / 2
                        if values[mid] <= target { low = mid + 1 } else { high = mid }
                    }
                    return low
                }
                precondition(count > 0, "a point of a later front has a dominator in the previous front")
                prefixBits[j].withUnsafeBufferPointer { bits in
                    let base = (count - 1) * words
                    for w in 0..<words { mask[w] &= bits[base + w] }
                }
            }
            for w in stride(from: words - 1, through: 0, by: -1) where mask[w] != 0 {
                return w * 64 + 63 - mask[w].leadingZeroBitCount
            }
            preconditionFailure("a point of a later front has a dominator in the previous front")
        }
    }
}
