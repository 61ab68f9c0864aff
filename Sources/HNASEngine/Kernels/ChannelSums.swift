/// Per-channel sums over `[N, C, P]` tensors with short planes, as batch norm needs them, walked in memory
/// order: every channel keeps one 8-lane accumulator that collects its plane of each sample in turn, so the
/// tensor is read sample after sample. Walking channel by channel instead visits one plane per sample, pages
/// apart (at P = 16 a plane is a single cache line), which no prefetcher follows.
///
/// A channel's sum is formed in the same order whichever worker takes the channel, so the results do not
/// depend on the thread count. Long planes keep the plane-by-plane sums of the callers (each plane is then a
/// long contiguous run, and per-plane partial sums keep the accumulation chains short).
enum ChannelSums {
    /// Planes up to this many elements take the memory-order walk.
    static let maximumPlane = 64

    /// `Σ_{s, i} x[s, ch, i]` per channel, or `Σ (x − center[ch])²` when `center` is given.
    static func sums(_ x: UnsafePointer<Float>, n: Int, c: Int, plane: Int, center: [Float]? = nil) -> [Float] {
        var result = [Float](repeating: 0, count: c)
        result.withUnsafeMutableBufferPointer { out in
            walk(c: c) { range, acc, tail in
                for s in 0..<n {
                    for ch in range {
                        let p = x + (s * c + ch) * plane, slot = ch - range.lowerBound
                        var a = acc[slot], t = tail[slot], i = 0
                        if let center {
                            let mu = center[ch], m = Vector.V(repeating: mu)
                            while i + 8 <= plane { let d = Vector.load(p + i) - m; a = a.addingProduct(d, d); i += 8 }
                            while i < plane { let d = p[i] - mu; t += d * d; i += 1 }
                        } else {
                            while i + 8 <= plane { a += Vector.load(p + i); i += 8 }
                            while i < plane { t += p[i]; i += 1 }
                        }
                        acc[slot] = a
                        tail[slot] = t
                    }
                }
                for ch in range { out[ch] = acc[ch - range.lowerBound].sum() + tail[ch - range.lowerBound] }
            }
        }
        return result
    }

    /// `(Σ g, Σ g·(x − center[ch]))` per channel over `g` and `x` of the same `[N, C, P]` shape. With
    /// `prepare`, `prepare(firstPlane, planes)` runs right before those planes of `g` are read (one
    /// sample's planes of a worker's channels, contiguous), so that a caller can write them there while
    /// the walk is about to read them from cache.
    static func sumsAndDots(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, n: Int, c: Int, plane: Int,
                            center: [Float], prepare: ((_ firstPlane: Int, _ planes: Int) -> Void)? = nil) -> ([Float], [Float]) {
        var sums = [Float](repeating: 0, count: c), dots = [Float](repeating: 0, count: c)
        sums.withUnsafeMutableBufferPointer { sumOut in
            dots.withUnsafeMutableBufferPointer { dotOut in
                walk(c: c, accumulators: 2) { range, acc, tail in
                    let k = range.count
                    for s in 0..<n {
                        prepare?(s * c + range.lowerBound, k)
                        for ch in range {
                            let off = (s * c + ch) * plane, slot = ch - range.lowerBound
                            let mu = center[ch], m = Vector.V(repeating: mu)
                            var a = acc[slot], b = acc[k + slot], ta = tail[slot], tb = tail[k + slot], i = 0
                            while i + 8 <= plane {
                                let gv = Vector.load(g + off + i)
                                a += gv
                                b = b.addingProduct(gv, Vector.load(x + off + i) - m)
                                i += 8
                            }
                            while i < plane { ta += g[off + i]; tb += g[off + i] * (x[off + i] - mu); i += 1 }
                            acc[slot] = a; acc[k + slot] = b; tail[slot] = ta; tail[k + slot] = tb
                        }
                    }
                    for ch in range {
                        let slot = ch - range.lowerBound
                        sumOut[ch] = acc[slot].sum() + tail[slot]
                        dotOut[ch] = acc[k + slot].sum() + tail[k + slot]
                    }
                }
            }
        }
        return (sums, dots)
    }

    /// Runs `body(channels, lanes, tails)` over contiguous channel ranges split over the workers, with
    /// `accumulators` zeroed sets of lane vectors and tail sums per channel (set j of channel ch at
    /// `j·range.count + ch − range.lowerBound`).
    private static func walk(c: Int, accumulators: Int = 1,
                             _ body: (Range<Int>, UnsafeMutablePointer<Vector.V>, UnsafeMutablePointer<Float>) -> Void) {
        Parallel.forEachRange(c) { range in
            let count = accumulators * range.count
            let lanes = UnsafeMutablePointer<Vector.V>.allocate(capacity: count)
            let tails = UnsafeMutablePointer<Float>.allocate(capacity: count)
            lanes.initialize(repeating: Vector.V(repeating: 0), count: count)
            tails.initialize(repeating: 0, count: count)
            body(range, lanes, tails)
            lanes.deallocate()
            tails.deallocate()
        }
    }
}
