import Foundation

/// Whole-file reads that fail the way every hnas loader reports it: `<what> '<path>': <reason>`,
/// where the reason is the system's short message ("No such file or directory", "Is a directory",
/// "Permission denied") instead of Foundation's generic "The operation could not be completed…"
/// sentence, which on Linux does not even say what went wrong for a folder.
///
/// Only regular files (or symbolic links to them) are read: a FIFO, socket or device is refused
/// up front ("is a FIFO (named pipe), not a regular file") instead of blocking forever or
/// reading an endless stream. Readers that open files by path themselves (libsndfile, HDF5)
/// call `requireRegularFile` first, so every input kind gets the same rule and message.
public enum FileContents {
    /// The bytes of the file at `url`.
    /// - Parameters:
    ///   - what: the failed action as the error states it, e.g. `"cannot read NPY file"`.
    ///   - path: the path the error names; by default `url.relativePath` (the user's spelling for URLs made
    ///     from it with `URL(fileURLWithPath:)` and `appendingPathComponent`: relative stays relative).
    /// - Throws: `HNASError.file(path, what, why: reason)`.
    public static func read(_ url: URL, _ what: String, path: String? = nil) throws -> Data {
        let name = path ?? url.relativePath
        // O_NONBLOCK: opening a FIFO with no writer must not block before fstat can refuse it.
        let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw HNASError.file(name, what, why: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw HNASError.file(name, what, why: String(cString: strerror(errno))) }
        if let problem = notRegular(info.st_mode) { throw HNASError.file(name, what, why: problem) }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw HNASError.file(name, what, why: reason(error))
        }
    }

    /// Checks that `url` names a regular file (following symbolic links) before a library opens it by path.
    /// - Throws: `HNASError.file(path, what, why:)` when it is missing, unreadable, a folder, FIFO, socket or device.
    public static func requireRegularFile(_ url: URL, _ what: String, path: String? = nil) throws {
        let name = path ?? url.relativePath
        var info = stat()
        let status = stat(url.path, &info)
        guard status == 0 else { throw HNASError.file(name, what, why: String(cString: strerror(errno))) }
        if let problem = notRegular(info.st_mode) { throw HNASError.file(name, what, why: problem) }
    }

    /// Why a file of this `st_mode` is not read, or nil for a regular file.
    static func notRegular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return String(cString: strerror(EISDIR))
        default: return "it is \(kind(mode)), not a regular file"
        }
    }

    /// `a FIFO (named pipe)`, `a character device`, … for messages.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }

    /// The short reason of a failed file-system call: the POSIX message Foundation wraps, when there
    /// is one, else Foundation's own description.
    public static func reason(_ error: Error) -> String {
        if let error = error as? HNASError { return error.why }
        let wrapped = error as NSError
        for candidate in [wrapped.userInfo[NSUnderlyingErrorKey] as? Error, error].compactMap({ $0 }) {
            let posix = candidate as NSError
            if posix.domain == NSPOSIXErrorDomain, let message = strerror(Int32(posix.code)) {
                return String(cString: message)
            }
        }
        return wrapped.localizedDescription
    }
}
