extension Registry {
    /// The hardware model `name`, given the fusion operators of `fusion` to measure when it measures on demand
    /// (`host`) and the fusion search can run its operators alone: so a search can price its fusion networks
    /// on the machine it runs on.
    /// - Throws: `HNASError` listing the registered models when `name` is unknown.
    public func hardwareModel(_ name: String, pricingFusionOf fusion: any FusionSearch) throws -> any HardwareModel {
        let model = try hardwareModels.make(name)
        if let operators = fusion as? any FusionOperatorSource { model.attach(fusionOperators: operators) }
        return model
    }
}
