import Foundation

/// A `SearchEvaluator` that spreads each generation's backbone evaluations and fusion searches over the
/// processes of a distributed run (`TaskFarm`: dynamic load balancing), around a `local` evaluator that
/// every process builds alike (same weights, data and options).
///
/// Rank 0 runs the search strategy with this evaluator and owns every file; the other ranks call `serve`
/// and compute what they are sent. The evaluations do not depend on the process that computes them (each
/// carries its own seed; backbone calibration batches come from a fixed seed), and results come back in
/// request order, so a distributed search equals the single-process one. The local evaluator's log lines
/// (sent to `capture`) travel with their results and are replayed on rank 0, through `log`, in request order.
public final class DistributedSearchEvaluator: SearchEvaluator {
    public let local: any SearchEvaluator
    private let farm: TaskFarm
    /// Rank 0: receives every evaluation's log lines, in request order.
    public var log: (String) -> Void = { _ in }
    private var captured: [String] = []
    /// Rank 0: wall-clock seconds spent in batches of backbone evaluations and of fusion searches, waits for
    /// the other ranks included — where a distributed search's time went (the local evaluator only times
    /// the share rank 0 computed itself).
    public private(set) var backboneSeconds = 0.0, fusionSeconds = 0.0

    public var backbones: [any Backbone] { local.backbones }

    public init(local: any SearchEvaluator, communicator: Communicator) {
        self.local = local
        farm = TaskFarm(communicator: communicator)
    }

    /// The sink for the local evaluator's log lines (set `local`'s log to it on every process).
    public func capture(_ line: String) { captured.append(line) }

    private enum Request: Codable {
        case backbone(BackboneRequest)
        case fusion(FusionRequest)
    }

    private struct Reply: Codable {
        var backbone: BackboneEvaluation?
        var fusion: FusionEvaluation?
        var log: [String]
    }

    /// Computes one encoded request with the local evaluator.
    private func perform(_ bytes: [UInt8]) throws -> [UInt8] {
        captured = []
        var reply = Reply(log: [])
        switch try JSONDecoder().decode(Request.self, from: Data(bytes)) {
        case .backbone(let r): reply.backbone = try local.evaluateBackbone(r.config, modality: r.modality, seed: r.seed)
        case .fusion(let r): reply.fusion = try local.evaluateFusion(r.configs, macro: r.macro, seed: r.seed)
        }
        reply.log = captured
        return Array(try JSONEncoder().encode(reply))
    }

    /// Rank 0: the replies to `requests` from all processes, their log lines replayed in request order.
    private func distribute(_ requests: [Request]) throws -> [Reply] {
        let encoder = JSONEncoder()
        let replies = try farm.run(try requests.map { Array(try encoder.encode($0)) }, work: perform)
            .map { try JSONDecoder().decode(Reply.self, from: Data($0)) }
        for line in replies.flatMap(\.log) { log(line) }
        return replies
    }

    public func evaluateBackbone(_ config: BackboneConfig, modality: Int, seed: UInt64) throws -> BackboneEvaluation {
        try evaluateBackbones([BackboneRequest(config: config, modality: modality, seed: seed)])[0]
    }

    public func evaluateFusion(_ configs: [BackboneConfig], macro: FusionMacro, seed: UInt64) throws -> FusionEvaluation {
        try evaluateFusions([FusionRequest(configs: configs, macro: macro, seed: seed)])[0]
    }

    public func evaluateBackbones(_ requests: [BackboneRequest]) throws -> [BackboneEvaluation] {
        let clock = Date()
        defer { backboneSeconds += Date().timeIntervalSince(clock) }
        return try distribute(requests.map(Request.backbone)).map { $0.backbone! }
    }

    public func evaluateFusions(_ requests: [FusionRequest]) throws -> [FusionEvaluation] {
        let clock = Date()
        defer { fusionSeconds += Date().timeIntervalSince(clock) }
        return try distribute(requests.map(Request.fusion)).map { $0.fusion! }
    }

    /// Ranks > 0: evaluates what rank 0 sends until it calls `stop`.
    public func serve() { farm.serve(work: perform) }

    /// Rank 0, after the search: releases the other ranks from `serve`.
    public func stop() { farm.stop() }
}
