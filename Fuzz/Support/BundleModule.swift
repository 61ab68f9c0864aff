import Foundation

/// SwiftPM generates `Bundle.module` for targets with resources; the fuzz build compiles the sources with
/// swiftc directly, so the fuzzers load their resources by path and this stands in for it.
extension Bundle {
    static var module: Bundle { Bundle.main }
}
