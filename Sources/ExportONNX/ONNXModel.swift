import Foundation
import HNASKit
import ONNXProto

/// An ONNX model file as hnas writes it: one inference graph, opset 17 of the default domain
/// (IR version 8 — what TensorRT 8.6 and ONNX Runtime ≥ 1.14 read), FP32 or FP16, metadata.
///
/// Writing is checked end to end: the graph is encoded with SwiftProtobuf, the bytes are decoded
/// again and the decoded graph is checked (`InferenceGraph.check()`: every value produced before
/// use, operand shapes consistent, declared shapes equal to the inferred ones), and only then is
/// the file written, atomically. Reading (`init(serialized:source:)`) runs the same check.
public struct ONNXModel: Sendable {
    /// The operator set version of the default domain hnas emits: 17 (LayerNormalization; Mish is
    /// written as `x·tanh(softplus(x))` because its operator needs 18, which TensorRT 8.x lacks).
    public static let opset = 17
    /// The ONNX IR version that goes with opset 17.
    public static let irVersion = 8

    /// The graph as stored (with the FP16 `Cast` nodes when `precision` is `.fp16`).
    public private(set) var graph: InferenceGraph
    public let precision: ONNXPrecision
    /// `metadata_props`: `hnas.precision` plus what the caller adds (e.g. dataset, architecture).
    public let metadata: [String: String]
    public let producerVersion: String

    /// A model of `graph` (float32, as built) in `precision`.
    public init(graph: InferenceGraph, precision: ONNXPrecision = .fp32, metadata: [String: String] = [:]) {
        self.graph = precision == .fp16 ? graph.castToHalf() : graph
        self.precision = precision
        self.metadata = metadata.merging(["hnas.precision": precision.rawValue]) { _, ours in ours }
        producerVersion = BuildInfo.version
    }

    /// Decodes and checks an ONNX file.
    /// - Throws: `HNASError` naming `source` when the bytes are not an ONNX model hnas can read
    ///   (protobuf, IR version, opset, types) or when its graph fails `InferenceGraph.check()`.
    public init(serialized data: Data, source: String) throws {
        let proto: Onnx_ModelProto
        do { proto = try Onnx_ModelProto(serializedBytes: data) } catch {
            throw HNASError.file(source, "cannot read ONNX model", why: "not an ONNX protobuf (\(error))")
        }
        do { self = try ONNXDecoding.model(proto) } catch let error as HNASError {
            throw HNASError.file(source, "invalid ONNX model", why: error.description)
        }
    }

    fileprivate init(graph: InferenceGraph, precision: ONNXPrecision, metadata: [String: String], producerVersion: String) {
        self.graph = graph
        self.precision = precision
        self.metadata = metadata
        self.producerVersion = producerVersion
    }

    /// The protobuf bytes.
    /// - Throws: `HNASError` when the graph fails its check or cannot be encoded.
    public func serialized() throws -> Data {
        let shapes = try graph.check()
        do { return try ONNXEncoding.model(self, shapes: shapes).serializedData() } catch let error as HNASError {
            throw error
        } catch {
            throw HNASError.op("ONNX encoding", why: "\(error)")
        }
    }

    /// Writes the model to `url` atomically after decoding and checking the encoded bytes.
    /// - Throws: `HNASError` naming the file when the check or the write fails; nothing is written then.
    public func write(to url: URL) throws {
        let data = try serialized()
        let decoded = try ONNXModel(serialized: data, source: url.path)
        guard decoded.graph == graph.rounded(to: precision) else {
            throw HNASError.file(url.path, "cannot write ONNX model", why: "the encoded graph does not decode to the same graph")
        }
        try AtomicFile.write(data, to: url, "cannot write ONNX model", path: url.path)
    }
}

extension InferenceGraph {
    /// The graph with its float constants rounded as `precision` stores them.
    func rounded(to precision: ONNXPrecision) -> InferenceGraph {
        guard precision == .fp16 else { return self }
        var result = self
        result.constants = constants.map { c in
            guard case .float32(let t) = c.value,
                  let rounded = try? Tensor(shape: t.shape, scalars: t.scalars.map { HalfFloat.value(HalfFloat.bits($0)) }) else { return c }
            return GraphNamedConstant(name: c.name, value: .float32(rounded))
        }
        return result
    }
}

/// `InferenceGraph` → protobuf.
enum ONNXEncoding {
    static func model(_ model: ONNXModel, shapes: [String: GraphShape]) throws -> Onnx_ModelProto {
        let graph = model.graph
        var proto = Onnx_ModelProto()
        proto.irVersion = Int64(ONNXModel.irVersion)
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Int64(ONNXModel.opset)
        proto.opsetImport = [opset]
        proto.producerName = "hnas"
        proto.producerVersion = model.producerVersion
        proto.metadataProps = model.metadata.sorted { $0.key < $1.key }.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
        var g = Onnx_GraphProto()
        g.name = graph.name
        let floatType = model.precision.dataType
        g.input = graph.inputs.map { valueInfo($0.name, $0.shape, type: 1) }
        g.output = graph.outputs.map { valueInfo($0.name, $0.shape, type: 1) }
        g.initializer = try graph.constants.map { try tensor($0, floatType: floatType) }
        g.node = graph.nodes.map(node)
        let declared = Set(graph.inputs.map(\.name) + graph.outputs.map(\.name) + graph.constants.map(\.name))
        g.valueInfo = graph.nodes.flatMap(\.outputs).filter { !declared.contains($0) }.map { valueInfo($0, shapes[$0]!, type: floatType) }
        proto.graph = g
        return proto
    }

    static func valueInfo(_ name: String, _ shape: GraphShape, type: Int32) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = type
        var shapeProto = Onnx_TensorShapeProto()
        shapeProto.dim = shape.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            switch d {
            case .batch: dim.dimParam = "batch"
            case .fixed(let n): dim.dimValue = Int64(n)
            }
            return dim
        }
        tensorType.shape = shapeProto
        var typeProto = Onnx_TypeProto()
        typeProto.tensorType = tensorType
        info.type = typeProto
        return info
    }

    static func tensor(_ constant: GraphNamedConstant, floatType: Int32) throws -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = constant.name
        t.dims = constant.value.shape.map { Int64($0) }
        var bytes = Data()
        switch constant.value {
        case .float32(let tensor):
            t.dataType = floatType
            let scalars = tensor.scalars
            guard scalars.allSatisfy(\.isFinite) else {
                throw HNASError.op("ONNX encoding", why: "constant '\(constant.name)' holds a non-finite value")
            }
            if floatType == 10 {
                bytes.reserveCapacity(2 * scalars.count)
                for s in scalars { withUnsafeBytes(of: HalfFloat.bits(s).littleEndian) { bytes.append(contentsOf: $0) } }
            } else {
                bytes.reserveCapacity(4 * scalars.count)
                for s in scalars { withUnsafeBytes(of: s.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            }
        case .int64(_, let values):
            t.dataType = 7
            for v in values { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        t.rawData = bytes
        return t
    }

    static func node(_ node: GraphNode) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.name = node.name
        n.opType = node.opType
        n.domain = ""
        n.input = node.inputs
        n.output = node.outputs
        n.attribute = node.attributes.sorted { $0.key < $1.key }.map { key, value in
            var a = Onnx_AttributeProto()
            a.name = key
            switch value {
            case .int(let v):
                a.type = .int
                a.i = Int64(v)
            case .ints(let v):
                a.type = .ints
                a.ints = v.map { Int64($0) }
            case .float(let v):
                a.type = .float
                a.f = v
            }
            return a
        }
        return n
    }
}

/// protobuf → `InferenceGraph`, accepting exactly what `ONNXEncoding` writes.
enum ONNXDecoding {
    static func model(_ proto: Onnx_ModelProto) throws -> ONNXModel {
        let bad = { (why: String) in HNASError.op("ONNX model", why: why) }
        guard proto.irVersion == Int64(ONNXModel.irVersion) else { throw bad("IR version \(proto.irVersion), expected \(ONNXModel.irVersion)") }
        guard proto.opsetImport.count == 1, proto.opsetImport[0].domain.isEmpty, proto.opsetImport[0].version == Int64(ONNXModel.opset) else {
            throw bad("operator sets \(proto.opsetImport.map { "\($0.domain.isEmpty ? "ai.onnx" : $0.domain) \($0.version)" }), expected ai.onnx \(ONNXModel.opset)")
        }
        let metadata = Dictionary(proto.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        guard let precision = ONNXPrecision(rawValue: metadata["hnas.precision"] ?? "") else {
            throw bad("metadata hnas.precision is '\(metadata["hnas.precision"] ?? "")', expected fp32 or fp16")
        }
        let g = proto.graph
        let inputs = try g.input.map { try value($0, type: 1, bad) }
        let outputs = try g.output.map { try value($0, type: 1, bad) }
        let constants = try g.initializer.map { try constant($0, precision: precision, bad) }
        let nodes = try g.node.map { n -> GraphNode in
            guard n.domain.isEmpty else { throw bad("node '\(n.name)' is in domain '\(n.domain)'") }
            var attributes: [String: GraphAttribute] = [:]
            for a in n.attribute {
                switch a.type {
                case .int: attributes[a.name] = .int(Int(a.i))
                case .ints: attributes[a.name] = .ints(a.ints.map { Int($0) })
                case .float: attributes[a.name] = .float(a.f)
                default: throw bad("node '\(n.name)' has attribute '\(a.name)' of type \(a.type)")
                }
            }
            return GraphNode(name: n.name, opType: n.opType, inputs: n.input, outputs: n.output, attributes: attributes)
        }
        let graph = InferenceGraph(name: g.name, inputs: inputs, outputs: outputs, constants: constants, nodes: nodes)
        let shapes = try graph.check()
        for info in g.valueInfo {
            let declared = try value(info, type: precision.dataType, bad)
            guard shapes[declared.name] == declared.shape else {
                throw bad("value_info '\(declared.name)' declares \(declared.shape.text) but the graph computes \(shapes[declared.name]?.text ?? "nothing")")
            }
        }
        return ONNXModel(graph: graph, precision: precision, metadata: metadata, producerVersion: proto.producerVersion)
    }

    /// A tensor value of element type `type` (1 float32, 10 float16).
    static func value(_ info: Onnx_ValueInfoProto, type: Int32, _ bad: (String) -> HNASError) throws -> GraphValue {
        guard case .tensorType(let t)? = info.type.value, t.elemType == type else {
            throw bad("value '\(info.name)' is not a tensor of element type \(type)")
        }
        let shape = try t.shape.dim.map { d -> GraphDimension in
            switch d.value {
            case .dimParam(let p)? where p == "batch": return .batch
            case .dimValue(let n)? where n > 0: return .fixed(Int(n))
            default: throw bad("value '\(info.name)' has dimension \(String(describing: d.value)), expected 'batch' or a positive size")
            }
        }
        return GraphValue(name: info.name, shape: shape)
    }

    static func constant(_ t: Onnx_TensorProto, precision: ONNXPrecision, _ bad: (String) -> HNASError) throws -> GraphNamedConstant {
        let shape = t.dims.map { Int($0) }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw bad("constant '\(t.name)' has dimensions \(t.dims)") }
        let count = shape.reduce(1, *)
        let bytes = [UInt8](t.rawData)
        func words<W: FixedWidthInteger>(_: W.Type) throws -> [W] {
            guard bytes.count == count * MemoryLayout<W>.size else {
                throw bad("constant '\(t.name)' has \(bytes.count) bytes for \(count) elements of type \(t.dataType)")
            }
            return (0..<count).map { i in
                (0..<MemoryLayout<W>.size).reduce(W.zero) { $0 | W(bytes[i * MemoryLayout<W>.size + $1]) << ($1 * 8) }
            }
        }
        switch t.dataType {
        case 7: return GraphNamedConstant(name: t.name, value: .int64(shape: shape, values: try words(UInt64.self).map { Int64(bitPattern: $0) }))
        case precision.dataType:
            let scalars = precision == .fp16 ? try words(UInt16.self).map(HalfFloat.value) : try words(UInt32.self).map(Float.init(bitPattern:))
            return GraphNamedConstant(name: t.name, value: .float32(try Tensor(shape: shape, scalars: scalars)))
        default:
            throw bad("constant '\(t.name)' has data type \(t.dataType); a \(precision.rawValue) model holds \(precision.dataType) and int64 (7)")
        }
    }
}
