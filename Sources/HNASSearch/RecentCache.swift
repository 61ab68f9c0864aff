/// A small least-recently-used cache: at most `capacity` entries, the oldest-used dropped first.
/// Meant for a handful of large values (subnets, feature tensors), so look-ups are linear.
struct RecentCache<Key: Hashable, Value> {
    let capacity: Int
    private var entries: [(key: Key, value: Value)] = []

    init(capacity: Int) {
        precondition(capacity >= 1, "a cache needs room for one entry")
        self.capacity = capacity
    }

    /// The value of `key` (marking it most recently used), or `nil`; assigning stores it, evicting the
    /// least recently used entry when full, and assigning `nil` removes it.
    subscript(key: Key) -> Value? {
        mutating get {
            guard let index = entries.firstIndex(where: { $0.key == key }) else { return nil }
            let entry = entries.remove(at: index)
            entries.append(entry)
            return entry.value
        }
        set {
            entries.removeAll { $0.key == key }
            guard let newValue else { return }
            if entries.count == capacity { entries.removeFirst() }
            entries.append((key, newValue))
        }
    }

    var count: Int { entries.count }
}
