import Foundation
import ModalityAudio

/// libFuzzer target: the libsndfile reader (WAV, FLAC, OGG, AIFF, … by content) on arbitrary bytes,
/// written to one scratch file per process because `SoundFileReader` reads by path.
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hnas-audio-fuzz-\(getpid()).wav")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard (try? Data(UnsafeBufferPointer(start: start, count: count)).write(to: scratch)) != nil else { return 0 }
    _ = try? SoundFileReader.read(scratch.path)
    return 0
}
