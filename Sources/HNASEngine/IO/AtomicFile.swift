import Dispatch
import Foundation

/// The one way hnas writes a file: the bytes go to a temporary file next to the destination,
/// which is then renamed over it, so a reader (or a crash) sees the old file or the new one,
/// never a half-written one.
///
/// Rules (README "Input limits"):
/// - Only a regular file is ever replaced. A destination that is a folder, FIFO, socket or device
///   is refused with an `HNASError`; nothing is written.
/// - A symbolic link is written *through*: its target (which must be a regular file or not exist
///   yet in an existing folder) is replaced and the link stays a link, as `>` in a shell does.
///   A dangling link whose target folder is missing is refused.
/// - The temporary file is `.<name>.hnas-tmp` in the destination's folder. It is removed on every
///   error, and on SIGINT/SIGTERM/SIGHUP once `installInterruptCleanup()` ran. One left by a
///   SIGKILL is overwritten by the next write of the same file, and `removeStaleTemporaries`
///   clears a whole folder (run directories do this when they are opened).
/// - The new file keeps the permission bits of the one it replaces.
public enum AtomicFile {
    /// The marker in every temporary file's name.
    public static let temporaryMarker = ".hnas-tmp"

    /// Writes `data` to `url` atomically.
    /// - Parameters:
    ///   - what: the failed action as the error states it (`"cannot write NPY file"`).
    ///   - path: the path errors name; by default `url.relativePath`.
    ///   - createFolders: create missing parent folders first.
    /// - Throws: `HNASError.file(path, what, why:)`.
    public static func write(_ data: Data, to url: URL, _ what: String = "cannot write", path: String? = nil,
                             createFolders: Bool = false) throws {
        let name = path ?? url.relativePath
        func fail(_ why: String) -> HNASError { HNASError.file(name, what, why: why) }
        if createFolders {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw fail(FileContents.reason(error))
            }
        }
        let target = try destination(url, fail: fail)
        let temporary = claimTemporary(for: target)
        defer { release(temporary) }
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw fail(String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if failure == nil, let mode = target.mode { _ = fchmod(fd, mode & 0o7777) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary.path, target.url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw fail(failure)
        }
    }

    /// Checks, without writing anything, that `write` may write `url`: nothing is there yet, or a regular file, or a
    /// symbolic link to one (or a dangling link whose folder exists). For a command that writes another file in its
    /// place (`genotype plot` writes `<out>.dot` without Graphviz) or only after long work, so a destination that is a
    /// folder, FIFO, socket or device is refused up front.
    /// - Throws: `HNASError.file(path, what, why:)`, the error `write` would throw.
    public static func checkDestination(_ url: URL, _ what: String = "cannot write", path: String? = nil) throws {
        let name = path ?? url.relativePath
        _ = try destination(url) { HNASError.file(name, what, why: $0) }
    }

    /// Removes every `*.hnas-tmp*` regular file in `folder` (and its subfolders when `recursive`): what
    /// writes interrupted by SIGKILL left behind.
    public static func removeStaleTemporaries(in folder: URL, recursive: Bool) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names {
            let url = folder.appendingPathComponent(name)
            var info = stat()
            guard lstat(url.path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFREG, name.hasPrefix("."), name.contains(temporaryMarker) {
                lock.lock()
                let busy = inFlight.contains(url.path)
                lock.unlock()
                if !busy { unlink(url.path) }
            } else if recursive, info.st_mode & S_IFMT == S_IFDIR {
                removeStaleTemporaries(in: url, recursive: true)
            }
        }
    }

    /// Makes SIGINT, SIGTERM and SIGHUP remove the temporary files of writes in progress before the
    /// process dies of the signal (exit status as without the handler). Call once, early in `main`.
    public static func installInterruptCleanup() {
        lock.lock()
        defer { lock.unlock() }
        guard signalSources.isEmpty else { return }
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                lock.lock()
                for path in inFlight { unlink(path) }
                lock.unlock()
                signal(signalNumber, SIG_DFL)
                kill(getpid(), signalNumber)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    // MARK: Internals

    /// The file really replaced (a symbolic link's target) and the permission bits to keep.
    private struct Target {
        var url: URL
        var mode: mode_t?
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var inFlight = Set<String>()
    nonisolated(unsafe) private static var signalSources: [DispatchSourceSignal] = []

    private static func destination(_ url: URL, fail: (String) -> HNASError) throws -> Target {
        var info = stat()
        guard lstat(url.path, &info) == 0 else {
            guard errno == ENOENT else { throw fail(String(cString: strerror(errno))) }
            return Target(url: url, mode: nil)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return Target(url: url, mode: info.st_mode)
        case S_IFLNK:
            let resolved = url.resolvingSymlinksInPath()
            guard stat(resolved.path, &info) == 0 else {
                // A dangling link: create its target, if its folder exists.
                guard errno == ENOENT, let link = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) else {
                    throw fail("it is a symbolic link hnas cannot follow (\(String(cString: strerror(errno))))")
                }
                let target = URL(fileURLWithPath: link, relativeTo: url.deletingLastPathComponent()).standardizedFileURL
                var folder = stat()
                guard stat(target.deletingLastPathComponent().path, &folder) == 0, folder.st_mode & S_IFMT == S_IFDIR else {
                    throw fail("it is a symbolic link to '\(link)', whose folder does not exist")
                }
                return Target(url: target, mode: nil)
            }
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw fail("it is a symbolic link to \(FileContents.kind(info.st_mode)); hnas replaces only regular files")
            }
            return Target(url: resolved, mode: info.st_mode)
        default:
            throw fail("it is \(FileContents.kind(info.st_mode)); hnas replaces only regular files")
        }
    }

    /// `.<name>.hnas-tmp` next to the target (a numbered variant while another thread writes the same file),
    /// registered for the interrupt cleanup; a stale one from a killed run is removed first.
    private static func claimTemporary(for target: Target) -> URL {
        let folder = target.url.deletingLastPathComponent()
        let base = "." + target.url.lastPathComponent + temporaryMarker
        lock.lock()
        defer { lock.unlock() }
        var candidate = folder.appendingPathComponent(base)
        var n = 1
        while inFlight.contains(candidate.path) {
            n += 1
            candidate = folder.appendingPathComponent(base + "\(n)")
        }
        inFlight.insert(candidate.path)
        var info = stat()
        if lstat(candidate.path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR { unlink(candidate.path) }
        return candidate
    }

    private static func release(_ temporary: URL) {
        lock.lock()
        inFlight.remove(temporary.path)
        lock.unlock()
    }
}
