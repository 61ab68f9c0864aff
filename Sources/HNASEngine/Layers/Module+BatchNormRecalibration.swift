extension Module {
    /// Prepares BatchNorm recalibration of a (sub)network, as OFA does before evaluating a subnet:
    /// every module goes to evaluation mode (dropout off), then every `BatchNorm` goes to training
    /// mode with cumulative averaging (`momentum = nil`) and reset statistics. Forward some
    /// training batches (their outputs can be discarded, under `Autograd.withoutGrad`), then call
    /// `finishBatchNormRecalibration(momentum:)`.
    public func beginBatchNormRecalibration() {
        eval()
        for case let bn as BatchNorm in namedModules().map(\.1) {
            bn.isTraining = true
            bn.momentum = nil
            bn.resetRunningStatistics()
        }
    }

    /// Ends recalibration: evaluation mode everywhere, BatchNorm momentum back to `momentum`.
    public func finishBatchNormRecalibration(momentum: Float? = 0.1) {
        for case let bn as BatchNorm in namedModules().map(\.1) { bn.momentum = momentum }
        eval()
    }
}
