import Foundation
import HNASEngine

/// libFuzzer target: `SafeTensors.decode` on arbitrary bytes must return or throw `HNASError`, never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    _ = try? SafeTensors.decode(Data(UnsafeBufferPointer(start: start, count: count)), path: "fuzz.safetensors")
    return 0
}
