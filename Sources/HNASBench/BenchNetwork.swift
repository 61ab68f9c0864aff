import HNASEngine
import Foundation

/// One network of the project's benchmark definition (`Benchmarks/nets.json`, the same file as
/// `../shared/bench/nets.json` that `torch_reference.py` reads): a plain layer list of a max
/// subnet, used by `hnas bench` to time the engine against PyTorch on identical layers.
///
/// Layer semantics (as in the file's `_about`): `conv` is Conv(k, stride, pad k/2)+BN+act;
/// `mbconv` is [1×1 expand if expand > 1] + depthwise k×k(stride) + [SE] + 1×1 project;
/// `pool` is global average pooling; `feature_mix` a 1×1 conv with bias; `linear` a Linear layer.
public struct BenchNetwork: Decodable, Equatable, Sendable {
    /// One entry of `layers`; fields absent for a layer type are nil.
    public struct Layer: Decodable, Equatable, Sendable {
        public let type: String
        public let `in`: Int?
        public let out: Int?
        public let k: Int?
        public let stride: Int?
        public let expand: Int?
        public let act: String?
        public let se: Bool?
        public let bn: Bool?
        public let dropout: Double?
    }

    /// Input `[channels, height, width]`.
    public let input: [Int]
    public let classes: Int
    public let batch: Int
    public let layers: [Layer]

    /// Every network in the file at `path`, by name (keys starting with `_` are comments).
    /// - Throws: `HNASError` naming the file when it cannot be read or is not a valid definition.
    public static func load(_ path: String) throws -> [String: BenchNetwork] {
        let data = try FileContents.read(URL(fileURLWithPath: path), "cannot read benchmark networks", path: path)
        let networks: [String: BenchNetwork]
        do {
            networks = try JSONDecoder().decode(NetworkTable.self, from: data).networks
        } catch {
            throw HNASError.file(path, "cannot parse benchmark networks", why: "\(error)")
        }
        for (name, network) in networks {
            do { _ = try network.convolutions() } catch let error as HNASError {
                throw HNASError.file(path, "invalid benchmark network '\(name)'", why: error.why)
            }
        }
        return networks
    }

    /// The network called `name` in the file at `path`.
    /// - Throws: `HNASError` when the file is bad or has no such network (listing the names it has).
    public static func load(_ path: String, named name: String) throws -> BenchNetwork {
        let networks = try load(path)
        guard let network = networks[name] else {
            throw HNASError.argument("--net", why: "no network '\(name)' in \(path); it has \(networks.keys.sorted().joined(separator: ", "))")
        }
        return network
    }

    /// Every convolution the network runs, in order, with its input size (batch excluded):
    /// stems, 1×1 expands and projects, depthwise convs, SE and feature-mix 1×1 convs.
    /// - Throws: `HNASError` on an unknown layer type or a missing field.
    public func convolutions() throws -> [ConvShape] {
        guard input.count == 3, input.allSatisfy({ $0 > 0 }) else {
            throw HNASError.op("BenchNetwork", why: "input must be [channels, height, width], got \(input)")
        }
        var height = input[1], width = input[2]
        var shapes: [ConvShape] = []
        func add(_ cin: Int, _ cout: Int, _ k: Int, _ stride: Int, groups: Int = 1, bias: Bool = false) {
            let shape = ConvShape(inChannels: cin, outChannels: cout, height: height, width: width,
                                  kernel: k, stride: stride, groups: groups, bias: bias)
            shapes.append(shape)
            height = shape.outHeight
            width = shape.outWidth
        }
        for (index, layer) in layers.enumerated() {
            func field(_ value: Int?, _ name: String) throws -> Int {
                guard let value, value > 0 else {
                    throw HNASError.op("BenchNetwork", why: "layer \(index) (\(layer.type)) needs a positive '\(name)'")
                }
                return value
            }
            switch layer.type {
            case "conv":
                add(try field(layer.in, "in"), try field(layer.out, "out"), try field(layer.k, "k"), try field(layer.stride, "stride"),
                    bias: !(layer.bn ?? true))
            case "mbconv":
                let cin = try field(layer.in, "in"), expand = try field(layer.expand, "expand"), mid = cin * expand
                if expand != 1 { add(cin, mid, 1, 1) }
                add(mid, mid, try field(layer.k, "k"), try field(layer.stride, "stride"), groups: mid)
                if layer.se ?? false {
                    let (h, w) = (height, width)
                    let reduced = Self.makeDivisible(mid / 4)
                    height = 1; width = 1
                    add(mid, reduced, 1, 1, bias: true)
                    add(reduced, mid, 1, 1, bias: true)
                    height = h; width = w
                }
                add(mid, try field(layer.out, "out"), 1, 1)
            case "pool":
                height = 1; width = 1
            case "feature_mix":
                add(try field(layer.in, "in"), try field(layer.out, "out"), 1, 1, bias: true)
            case "linear":
                break
            default:
                throw HNASError.op("BenchNetwork", why: "layer \(index) has unknown type '\(layer.type)'")
            }
        }
        return shapes
    }

    /// MobileNet's channel rounding: the multiple of 8 nearest `value`, at least 8, not below 90 % of it.
    static func makeDivisible(_ value: Int) -> Int {
        var rounded = max(8, (value + 4) / 8 * 8)
        if Double(rounded) < 0.9 * Double(value) { rounded += 8 }
        return rounded
    }

    /// The file's top level: network names to networks, skipping `_`-prefixed comment keys.
    private struct NetworkTable: Decodable {
        let networks: [String: BenchNetwork]

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: NameCodingKey.self)
            var networks: [String: BenchNetwork] = [:]
            for key in container.allKeys where !key.stringValue.hasPrefix("_") {
                networks[key.stringValue] = try container.decode(BenchNetwork.self, forKey: key)
            }
            self.networks = networks
        }
    }
}
