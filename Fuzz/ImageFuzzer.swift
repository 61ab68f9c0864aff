import Foundation
import ModalityImage

/// libFuzzer target: the JPEG/PNG decoder (libjpeg-turbo and libpng behind CImageCodec's traps) on
/// arbitrary bytes, with a 1 Mpx limit so the fuzzer explores headers rather than allocations.
let decoder = ImageDecoder(maxPixels: 1 << 20)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    _ = try? decoder.decode(Data(UnsafeBufferPointer(start: start, count: count)), name: "fuzz.img")
    return 0
}
