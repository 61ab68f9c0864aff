// swift-tools-version:6.0
// ONNXProto: the ONNX protobuf messages (generated once from onnx.proto, committed) on the SwiftProtobuf runtime.
//
// A package of its own, used by hnas as a path dependency, for build time: SwiftPM builds the tools of every
// plugin of a package the root depends on directly — for swift-protobuf that is its vendored C++ `protoc`
// (twice: as a product and as a plugin tool), many minutes on two cores on every clean build. Behind this
// package hnas builds only the SwiftProtobuf runtime library.
import PackageDescription

let package = Package(
    name: "ONNXProto",
    products: [.library(name: "ONNXProto", targets: ["ONNXProto"])],
    dependencies: [.package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0")],
    targets: [
        .target(name: "ONNXProto", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
    ],
    swiftLanguageModes: [.v5]
)
