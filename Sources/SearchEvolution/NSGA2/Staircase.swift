/// The 2-D minima of a set of (y, z) pairs, both minimised: y ascending, z strictly descending.
///
/// Answers "is some pair no greater than (y, z) in both" with one binary search; used per front by
/// non-dominated sorting and as the running 2-D front of the 3-D hypervolume.
struct Staircase {
    private(set) var ys: [Double] = []
    private(set) var zs: [Double] = []

    /// Index of the last step with `ys[i] <= y`, or -1.
    private func lastStep(atMost y: Double) -> Int {
        var low = 0, high = ys.count
        while low < high {
            let mid = (low + high) / 2
            if ys[mid] <= y { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }

    /// Whether some pair is no greater than (y, z) in both coordinates.
    func covers(_ y: Double, _ z: Double) -> Bool {
        let i = lastStep(atMost: y)
        return i >= 0 && zs[i] <= z
    }

    /// Adds (y, z) unless a pair covers it, and drops the pairs it covers.
    mutating func insert(_ y: Double, _ z: Double) {
        guard !covers(y, z) else { return }
        var start = lastStep(atMost: y) + 1
        if start > 0, ys[start - 1] == y { start -= 1 }
        var end = start
        while end < ys.count, zs[end] >= z { end += 1 }
        ys.replaceSubrange(start..<end, with: [y])
        zs.replaceSubrange(start..<end, with: [z])
    }

    /// The area the pairs dominate up to the reference corner (ry, rz).
    func area(ry: Double, rz: Double) -> Double {
        var total = 0.0
        for i in ys.indices {
            let nextY = i + 1 < ys.count ? ys[i + 1] : ry
            total += (nextY - ys[i]) * (rz - zs[i])
        }
        return total
    }
}
