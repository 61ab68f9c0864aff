import Foundation

/// Whole-file reads that fail the way every hnas loader reports it: `<what> '<path>': <reason>`,
/// where the reason is the system's short message ("No such file or directory", "Is a directory",
/// "Permission denied") instead of Foundation's generic "The operation could not be completed…"
/// sentence, which on Linux does not even say what went wrong for a folder.
public enum FileContents {
    /// The bytes of the file at `url`.
    /// - Parameters:
    ///   - what: the failed action as the error states it, e.g. `"cannot read NPY file"`.
    ///   - path: the path the error names; by default `url.relativePath` (the user's spelling for URLs made
    ///     from it with `URL(fileURLWithPath:)` and `appendingPathComponent`: relative stays relative).
    /// - Throws: `HNASError.file(path, what, why: reason)`.
    public static func read(_ url: URL, _ what: String, path: String? = nil) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw HNASError.file(path ?? url.relativePath, what, why: reason(error))
        }
    }

    /// The short reason of a failed file-system call: the POSIX message Foundation wraps, when there
    /// is one, else Foundation's own description.
    public static func reason(_ error: Error) -> String {
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
