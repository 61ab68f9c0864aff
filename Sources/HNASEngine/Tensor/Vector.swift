/// SIMD loops over raw Float buffers: the element-wise building blocks of the ops.
///
/// Everything here is internal and pointer-based; ops wrap it with shapes and autodiff.
/// Loops process 8 lanes at a time (one AVX register) and finish the tail one by one.
enum Vector {
    typealias V = SIMD8<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// `out[i] = f(x[i])` (in place allowed).
    @inline(__always)
    static func map(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
                    _ f: (Float) -> Float, _ fv: (V) -> V) {
        var i = 0
        while i + 8 <= count { store(fv(load(x + i)), out + i); i += 8 }
        while i < count { out[i] = f(x[i]); i += 1 }
    }

    /// `out[i] = f(a[i], b[i])` (in place allowed).
    @inline(__always)
    static func zip(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
                    _ f: (Float, Float) -> Float, _ fv: (V, V) -> V) {
        var i = 0
        while i + 8 <= count { store(fv(load(a + i), load(b + i)), out + i); i += 8 }
        while i < count { out[i] = f(a[i], b[i]); i += 1 }
    }

    /// `out[i] = f(a[i], s)` for a scalar `s`.
    @inline(__always)
    static func zipScalarRight(_ a: UnsafePointer<Float>, _ s: Float, _ out: UnsafeMutablePointer<Float>, count: Int,
                               _ f: (Float, Float) -> Float, _ fv: (V, V) -> V) {
        let sv = V(repeating: s)
        var i = 0
        while i + 8 <= count { store(fv(load(a + i), sv), out + i); i += 8 }
        while i < count { out[i] = f(a[i], s); i += 1 }
    }

    /// `out[i] = f(s, b[i])` for a scalar `s`.
    @inline(__always)
    static func zipScalarLeft(_ s: Float, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
                              _ f: (Float, Float) -> Float, _ fv: (V, V) -> V) {
        let sv = V(repeating: s)
        var i = 0
        while i + 8 <= count { store(fv(sv, load(b + i)), out + i); i += 8 }
        while i < count { out[i] = f(s, b[i]); i += 1 }
    }

    /// `dst[i] += src[i]`.
    static func add(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
        zip(dst, src, dst, count: count, +, +)
    }

    /// The sum of `count` elements (8 partial sums, then combined).
    static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc = V(repeating: 0)
        var i = 0
        while i + 8 <= count { acc += load(x + i); i += 8 }
        var s = acc.sum()
        while i < count { s += x[i]; i += 1 }
        return s
    }

    /// The dot product of two vectors.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc = V(repeating: 0)
        var i = 0
        while i + 8 <= count { acc = acc.addingProduct(load(a + i), load(b + i)); i += 8 }
        var s = acc.sum()
        while i < count { s += a[i] * b[i]; i += 1 }
        return s
    }
}
