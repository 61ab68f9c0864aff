import Foundation

/// A folder written whole (`hnas best`'s model directory, `hnas data prepare`'s dataset): its files go into a
/// staging folder `.<name>.partial-<pid>` beside it, renamed to the destination once complete, so a reader (or a
/// crash) sees no folder or the complete one — the folder counterpart of `AtomicFile`.
///
/// A staging folder of the same destination left by a killed process (its process id no longer running) is removed
/// when the next write of that destination starts; one whose write fails is removed at once.
public enum AtomicFolder {
    /// The marker between a staging folder's destination name and its process id.
    public static let partialMarker = ".partial-"

    /// Builds the folder `out`, which must not exist, by calling `fill` with the staging folder, then renames the
    /// staging folder to `out`.
    /// - Parameter what: the failed action as errors state it (`"cannot write model directory"`).
    /// - Throws: `fill`'s `HNASError`, or `HNASError.file(out.path, what, why:)` for any other failure (`out`
    ///   appearing meanwhile included); nothing is left behind then.
    public static func write(_ out: URL, _ what: String, fill: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let parent = out.deletingLastPathComponent()
        let prefix = "." + out.lastPathComponent + partialMarker
        for name in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            // Ours (a process of ours by that id died before) or a process that no longer runs: a killed write's.
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) else { continue }
            try? manager.removeItem(at: parent.appendingPathComponent(name))
        }
        let staging = parent.appendingPathComponent(prefix + "\(getpid())")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            try fill(staging)
            try manager.moveItem(at: staging, to: out)
        } catch {
            try? manager.removeItem(at: staging)
            if let error = error as? HNASError { throw error }
            throw HNASError.file(out.path, what, why: FileContents.reason(error))
        }
    }
}
