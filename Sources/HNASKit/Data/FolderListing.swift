import Foundation

/// Byte-wise sorted folder listings, as the original's `sorted(os.listdir(...))` gives them.
///
/// Names are compared by their UTF-8 bytes (so `0_jackson_10.wav` precedes `0_jackson_2.wav`), which
/// is Python's order for the ASCII names datasets use. Hidden entries (leading `.`, e.g. `.DS_Store`)
/// are skipped.
enum FolderListing {
    /// Whether `a` sorts before `b` byte-wise.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Whether `url` is an existing folder.
    static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The visible entries of folder `url`, sorted byte-wise, split into files and subfolders.
    /// - Throws: `HNASError` naming the folder when it is missing or unreadable.
    static func entries(of url: URL) throws -> (files: [String], folders: [String]) {
        guard isFolder(url) else {
            throw HNASError.file(url.relativePath, "missing folder", why: "the dataset layout needs this folder")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw HNASError.file(url.relativePath, "cannot list folder", why: FileContents.reason(error))
        }
        var files: [String] = [], folders: [String] = []
        for name in names.sorted(by: precedes) where !name.hasPrefix(".") {
            if isFolder(url.appendingPathComponent(name)) { folders.append(name) } else { files.append(name) }
        }
        return (files, folders)
    }
}
