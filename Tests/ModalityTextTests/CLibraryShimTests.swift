import CZlib
import XCTest

/// zlib links and round-trips data (it reads the gzip-compressed CLIP vocabulary).
final class CLibraryShimTests: XCTestCase {
    func testZlibRoundTrip() {
        let text = Array(String(repeating: "hardware-aware multimodal NAS ", count: 40).utf8)
        var compressedSize = compressBound(uLong(text.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedSize))
        XCTAssertEqual(compress(&compressed, &compressedSize, text, uLong(text.count)), Z_OK)
        XCTAssertLessThan(Int(compressedSize), text.count / 4)

        var restoredSize = uLong(text.count)
        var restored = [UInt8](repeating: 0, count: text.count)
        XCTAssertEqual(uncompress(&restored, &restoredSize, compressed, compressedSize), Z_OK)
        XCTAssertEqual(restored, text)
        XCTAssertEqual(String(cString: zlibVersion()).first, "1")
    }
}
