import HNASKit

/// The test plugin's one entry point, as a plugin target exposes it: the sensor modality, its searchable
/// backbone, its pipeline and a device to price it on.
func register(into registry: inout Registry) {
    registry.modalities.register("sensor", summary: "1-D sensor signals (test plugin)") { SensorModality() }
    registry.backbones.register(SensorBackbone.key, summary: "searchable MLP over 16-sample signals (test plugin)") {
        SensorBackbone(inputs: 16, classes: 3)
    }
    registry.pipelines.register(SensorPipeline.key, summary: SensorPipeline().summary) { SensorPipeline() }
    registry.hardwareModels.register(SensorBoard.key, summary: "a made-up device (test plugin)") { SensorBoard() }
}
