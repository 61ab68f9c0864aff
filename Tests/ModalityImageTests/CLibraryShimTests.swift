import CJPEG
import CPNG
import XCTest

/// The image codecs link and answer: libjpeg(-turbo) builds a decompressor, libpng reports its version.
final class CLibraryShimTests: XCTestCase {
    func testLibjpegCreatesAndDestroysADecompressor() {
        var errorManager = jpeg_error_mgr()
        var info = jpeg_decompress_struct()
        info.err = jpeg_std_error(&errorManager)
        jpeg_CreateDecompress(&info, JPEG_LIB_VERSION, MemoryLayout<jpeg_decompress_struct>.size)
        XCTAssertEqual(info.global_state, 200) // DSTATE_START: created, no source yet
        jpeg_destroy_decompress(&info)
        XCTAssertNotNil(errorManager.error_exit)
    }

    func testLibpngVersion() {
        XCTAssertGreaterThanOrEqual(png_access_version_number(), 10600)
        XCTAssertEqual(String(cString: png_get_libpng_ver(nil)).split(separator: ".").first, "1")
    }
}
