import HNASEngine

/// libFuzzer target: `NPYFile(bytes:)` on arbitrary bytes must return or throw `HNASError`, never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    if let file = try? NPYFile(bytes: Array(UnsafeBufferPointer(start: start, count: count)), path: "fuzz.npy") {
        _ = file.floats
    }
    return 0
}
