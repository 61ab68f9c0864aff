import CHDF5
import Foundation
import HNASKit

/// A read-only HDF5 file (libhdf5), with just what converting MM-IMDB needs: a dataset's shape and
/// element type, one row at a time in its native type, and fixed-length string columns.
///
/// Handles are closed when the value goes away; every failure is an `HNASError` naming the file
/// and the dataset.
final class HDF5File {
    let path: String
    private let file: hid_t

    /// Opens `path` read-only.
    init(path: String) throws {
        chdf5_silence_errors()
        self.path = path
        try FileContents.requireRegularFile(URL(fileURLWithPath: path), "cannot open HDF5 file", path: path)
        let id = H5Fopen(path, chdf5_acc_rdonly(), chdf5_p_default())
        guard id >= 0 else { throw HNASError.file(path, "cannot open HDF5 file", why: "libhdf5 cannot read it as HDF5") }
        file = id
    }

    deinit {
        H5Fclose(file)
    }

    /// The dataset called `name` at the file's root.
    /// - Throws: `HNASError` when there is none.
    func dataset(_ name: String) throws -> HDF5Dataset {
        guard H5Lexists(file, name, chdf5_p_default()) > 0 else {
            throw HNASError.file(path, "missing HDF5 dataset", why: "the file has no dataset '\(name)'")
        }
        let id = H5Dopen2(file, name, chdf5_p_default())
        guard id >= 0 else { throw HNASError.file(path, "cannot open HDF5 dataset", why: "'\(name)' is not a readable dataset") }
        return try HDF5Dataset(id: id, name: name, path: path)
    }
}

/// One dataset of an `HDF5File`.
final class HDF5Dataset {
    /// The stored element kind.
    enum Kind: Equatable {
        case integer(bytes: Int, signed: Bool)
        case float(bytes: Int)
        case fixedString(bytes: Int)
    }

    let name: String
    let path: String
    let shape: [Int]
    let kind: Kind
    private let id: hid_t

    fileprivate init(id: hid_t, name: String, path: String) throws {
        self.id = id
        self.name = name
        self.path = path
        let space = H5Dget_space(id)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        var dims = [hsize_t](repeating: 0, count: max(rank, 1))
        H5Sget_simple_extent_dims(space, &dims, nil)
        shape = rank > 0 ? dims.prefix(rank).map { Int($0) } : []
        let type = H5Dget_type(id)
        defer { H5Tclose(type) }
        let bytes = Int(H5Tget_size(type))
        switch H5Tget_class(type) {
        case H5T_INTEGER: kind = .integer(bytes: bytes, signed: H5Tget_sign(type) != H5T_SGN_NONE)
        case H5T_FLOAT: kind = .float(bytes: bytes)
        case H5T_STRING where H5Tis_variable_str(type) == 0: kind = .fixedString(bytes: bytes)
        default:
            H5Dclose(id)
            throw HNASError.file(path, "unsupported HDF5 dataset", why: "'\(name)' is neither numbers nor fixed-length strings")
        }
    }

    deinit {
        H5Dclose(id)
    }

    private func fail(_ why: String) -> HNASError {
        HNASError.file(path, "cannot read HDF5 dataset '\(name)' in", why: why)
    }

    /// Row `row` (all elements with first index `row`) in the dataset's own numeric type: 32- and
    /// 64-bit integers and floats as stored; smaller integers widened to int32, unsigned 32-bit to int64.
    func row(_ row: Int) throws -> NPYFile {
        guard shape.count >= 1, (0..<shape[0]).contains(row) else { throw fail("row \(row) is outside shape \(shape)") }
        let rowShape = Array(shape.dropFirst())
        let count = rowShape.reduce(1, *)
        switch kind {
        case .float(4):
            return try NPYFile(shape: rowShape, elements: .float32(read(row, count: count, type: chdf5_native_float(), zero: Float(0))))
        case .float(8):
            return try NPYFile(shape: rowShape, elements: .float64(read(row, count: count, type: chdf5_native_double(), zero: Double(0))))
        case .integer(let bytes, let signed) where bytes < 4 || (bytes == 4 && signed):
            return try NPYFile(shape: rowShape, elements: .int32(read(row, count: count, type: chdf5_native_int32(), zero: Int32(0))))
        case .integer(8, true), .integer(4, false):
            return try NPYFile(shape: rowShape, elements: .int64(read(row, count: count, type: chdf5_native_int64(), zero: Int64(0))))
        default:
            throw fail("its element type \(kind) has no lossless .npy counterpart here")
        }
    }

    /// All entries of a 1-D fixed-length string dataset, NUL padding removed, decoded as UTF-8.
    func strings() throws -> [String] {
        guard case .fixedString(let bytes) = kind, shape.count == 1 else { throw fail("expected a 1-D fixed-length string column, found \(kind) \(shape)") }
        var buffer = [UInt8](repeating: 0, count: max(1, shape[0] * bytes))
        let type = H5Dget_type(id)
        defer { H5Tclose(type) }
        guard H5Dread(id, type, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), &buffer) >= 0 else { throw fail("libhdf5 read failed") }
        return try (0..<shape[0]).map { i in
            let field = buffer[(i * bytes)..<((i + 1) * bytes)].prefix { $0 != 0 }
            guard let text = String(bytes: field, encoding: .utf8) else { throw fail("entry \(i) is not UTF-8") }
            return text
        }
    }

    private func read<T>(_ row: Int, count: Int, type: hid_t, zero: T) throws -> [T] {
        var values = [T](repeating: zero, count: count)
        let fileSpace = H5Dget_space(id)
        defer { H5Sclose(fileSpace) }
        var start = [hsize_t](repeating: 0, count: shape.count)
        start[0] = hsize_t(row)
        var extent = [hsize_t(1)] + shape.dropFirst().map { hsize_t($0) }
        guard H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &extent, nil) >= 0 else { throw fail("cannot select row \(row)") }
        var memoryExtent = [hsize_t(max(count, 1))]
        let memorySpace = H5Screate_simple(1, &memoryExtent, nil)
        defer { H5Sclose(memorySpace) }
        let status = values.withUnsafeMutableBytes { H5Dread(id, type, memorySpace, fileSpace, chdf5_p_default(), $0.baseAddress) }
        guard status >= 0 else { throw fail("libhdf5 could not read row \(row)") }
        return values
    }
}
