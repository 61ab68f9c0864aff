import CFFTW
import Foundation

/// A single-precision real-to-complex FFT of one fixed length, through FFTW.
///
/// FFTW plans are made once per length and shared process-wide: planning (and destroying) is
/// not thread-safe in FFTW, so it happens under one lock, while executing a plan on new arrays
/// (`fftwf_execute_dft_r2c`) is thread-safe and needs no lock. Plans use `FFTW_ESTIMATE`, which
/// picks the algorithm deterministically, so results do not vary from run to run.
final class RealFFT: @unchecked Sendable {
    /// The transform length (number of real input samples).
    let length: Int
    /// The number of complex output bins, `length / 2 + 1`.
    var binCount: Int { length / 2 + 1 }

    private let plan: OpaquePointer

    private static let planLock = NSLock()
    nonisolated(unsafe) private static var cache: [Int: RealFFT] = [:]

    /// The shared transform of `length` samples (made on first use).
    static func ofLength(_ length: Int) -> RealFFT {
        precondition(length >= 1, "FFT length must be positive")
        planLock.lock()
        defer { planLock.unlock() }
        if let fft = cache[length] { return fft }
        let fft = RealFFT(length: length)
        cache[length] = fft
        return fft
    }

    /// Plans on scratch buffers from `fftwf_malloc`, whose alignment every later call's
    /// `Workspace` buffers share (FFTW's new-array execute requires the same alignment).
    private init(length: Int) {
        self.length = length
        let input = fftwf_alloc_real(length)!
        let output = fftwf_alloc_complex(length / 2 + 1)!
        plan = fftwf_plan_dft_r2c_1d(Int32(length), input, output, UInt32(FFTW_ESTIMATE))!
        fftwf_free(input)
        fftwf_free(output)
    }

    /// Aligned input and output buffers for one thread's transforms; not shareable between threads.
    final class Workspace {
        /// `length` real samples to transform.
        let input: UnsafeMutablePointer<Float>
        /// `length / 2 + 1` complex bins, as interleaved (re, im) pairs.
        let output: UnsafeMutablePointer<fftwf_complex>

        fileprivate init(length: Int) {
            input = fftwf_alloc_real(length)!
            output = fftwf_alloc_complex(length / 2 + 1)!
            input.initialize(repeating: 0, count: length)
        }

        deinit {
            fftwf_free(input)
            fftwf_free(output)
        }
    }

    /// Buffers to pass to `powerSpectrum(_:into:)`.
    func makeWorkspace() -> Workspace {
        Workspace(length: length)
    }

    /// Transforms `workspace.input` and writes |X[f]|² for the `binCount` bins into `power`.
    func powerSpectrum(_ workspace: Workspace, into power: UnsafeMutablePointer<Float>) {
        fftwf_execute_dft_r2c(plan, workspace.input, workspace.output)
        for bin in 0 ..< binCount {
            let (re, im) = workspace.output[bin]
            power[bin] = re * re + im * im
        }
    }
}
