import Foundation
import HNASKit
import HNASSearch
import Yams

extension SearchRunConfig {
    /// Applies a Harmonic-NAS search YAML (`configs/search_config_avmnist.yml` keys): the
    /// `evo_search_outer`/`evo_search_inner` sections, `fusion_epochs` (search and retraining), `C`, `L`,
    /// `multiplier`, `drpt`, `arch_learning_rate`, `arch_weight_decay`, `weight_decay`, `eta_max`, `eta_min`,
    /// `post_bn_calibration_batch_num` and `seed`. The original's other keys (cluster, supernet-training and
    /// path settings) are accepted and ignored.
    /// - Throws: `HNASError` naming the file and the key for unreadable YAML or a bad value.
    mutating func apply(yamlFile path: String) throws {
        let bytes = try FileContents.read(URL(fileURLWithPath: path), "cannot read search config", path: path)
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw HNASError.file(path, "cannot read search config", why: "not UTF-8 text")
        }
        let parsed: Any?
        do { parsed = try Yams.load(yaml: text) } catch {
            throw HNASError.file(path, "cannot parse search config", why: "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML")
        }
        guard let mapping = parsed.flatMap(Self.stringKeyed) else {
            throw HNASError.file(path, "invalid search config", why: "the top level is not a mapping of keys to values")
        }
        do {
            try apply(configuration: mapping)
        } catch let error as HNASError {
            throw HNASError.file(path, "invalid search config", why: "\(error.subjectName): \(error.why)")
        }
    }
}
