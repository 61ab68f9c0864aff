/// The one error type hnas reports to users: what failed, on which file, argument or op, and why.
///
/// Every failure caused by user input (a file, a flag, a configuration, a tensor shape) is thrown
/// as an `HNASError`, so the CLI can print it as a single `error: …` line and exit non-zero.
/// `precondition` is reserved for programmer errors.
public struct HNASError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What the failure is about.
    public enum Subject: Equatable, Sendable {
        /// A file or folder on disk (the path as the user gave it).
        case file(String)
        /// A command-line argument or configuration key.
        case argument(String)
        /// A tensor operation (shape and value errors).
        case op(String)
        /// Nothing more specific than the message itself.
        case none
    }

    /// The action that failed, e.g. `"cannot decode JPEG"`.
    public let what: String
    /// Where it failed.
    public let subject: Subject
    /// Why it failed, e.g. `"file is truncated after 812 bytes"`.
    public let why: String

    public init(_ what: String, _ subject: Subject = .none, why: String) {
        self.what = what
        self.subject = subject
        self.why = why
    }

    /// A failure reading or writing `path`.
    public static func file(_ path: String, _ what: String, why: String) -> HNASError {
        HNASError(what, .file(path), why: why)
    }

    /// A bad command-line argument or configuration value.
    public static func argument(_ name: String, why: String) -> HNASError {
        HNASError("invalid value for", .argument(name), why: why)
    }

    /// A tensor operation given inputs it cannot handle.
    public static func op(_ name: String, why: String) -> HNASError {
        HNASError("invalid input to", .op(name), why: why)
    }

    public var description: String {
        switch subject {
        case .file(let path): return "\(what) '\(path)': \(why)"
        case .argument(let name): return "\(what) \(name): \(why)"
        case .op(let name): return "\(what) \(name): \(why)"
        case .none: return "\(what): \(why)"
        }
    }
}
