extension Dataset {
    /// The dataset with every split cut to at most `count` samples, evenly spaced over the split
    /// (sample ⌊i·n/count⌋ for i < count), so class-ordered splits keep every class: a quick trial
    /// (`hnas train-supernet --samples N`) that decodes only what it trains on.
    public func subset(samplesPerSplit count: Int) -> Dataset {
        Dataset(name: name, inputs: inputs, classNames: classNames, isMultiLabel: isMultiLabel,
                splits: splits.map { split in
                    let n = split.samples.count
                    guard count < n else { return split }
                    return DatasetSplit(name: split.name, samples: (0..<count).map { split.samples[$0 * n / count] })
                },
                labelDecoder: labelDecoder)
    }
}
