import HNASKit

/// Adds this target's plugins to `registry`; the `hnas` executable calls it at start-up.
public func register(into registry: inout Registry) {
    for device in JetsonModel.Device.allCases {
        registry.hardwareModels.register(device.rawValue, summary: "\(device.boardName): measured latency/energy tables") {
            try JetsonModel(device: device)
        }
    }
}
