import Foundation
import HNASKit

/// Adds this target's plugins to `registry`; the `hnas` executable calls it at start-up.
public func register(into registry: inout Registry) {
    for device in JetsonModel.Device.allCases {
        registry.hardwareModels.register(device.rawValue, summary: "\(device.boardName): measured latency/energy tables") {
            try JetsonModel(device: device)
        }
    }
    registry.hardwareModels.register("host", summary: "this machine: a table from `hnas lut profile`, or profiled on demand") {
        HostModel(profiler: try HostProfiler()) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    }
}
