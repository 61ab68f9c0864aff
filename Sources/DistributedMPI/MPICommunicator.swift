import CMPI
import Foundation
import HNASKit

/// `Communicator` over OpenMPI's `MPI_COMM_WORLD`: the processes `mpirun -np N hnas … --distributed mpi`
/// starts. MPI is initialised only by `start()` (a single-process `hnas` never calls `MPI_Init`)
/// and finalised by `finish()`.
///
/// MPI calls return their errors (`MPI_ERRORS_RETURN`) so a failure is reported as one line
/// naming this rank and the call before `MPI_Abort` ends the job; a process that dies is
/// reported by `mpirun` itself, by rank, and ends the others.
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int
    private let world = cmpi_comm_world()

    private init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    /// Initialises MPI (thread level "serialized": one thread calls MPI at a time) and joins `MPI_COMM_WORLD`.
    /// - Throws: `HNASError` naming `--distributed` when the process was not started by an MPI
    ///   launcher (no `OMPI_COMM_WORLD_SIZE`/`PMIX_RANK` in the environment), or MPI cannot start.
    public static func start() throws -> MPICommunicator {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OMPI_COMM_WORLD_SIZE"] != nil || environment["PMIX_RANK"] != nil else {
            throw HNASError.argument("--distributed", why: "'mpi' needs processes started by mpirun, e.g. `mpirun -np 2 hnas … --distributed mpi`")
        }
        var provided: Int32 = 0
        guard MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided) == MPI_SUCCESS else {
            throw HNASError.argument("--distributed", why: "MPI_Init_thread failed")
        }
        // Rank 0 hands out search tasks from a second thread while its main thread computes.
        guard provided >= Int32(MPI_THREAD_SERIALIZED) else {
            MPI_Finalize()
            throw HNASError.argument("--distributed", why: "this MPI library does not support calls from more than one thread (MPI_THREAD_SERIALIZED)")
        }
        let world = cmpi_comm_world()
        MPI_Comm_set_errhandler(world, cmpi_errors_return())
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(world, &rank)
        MPI_Comm_size(world, &size)
        return MPICommunicator(rank: Int(rank), size: Int(size))
    }

    /// Finalises MPI after the last collective (every process calls it).
    public func finish() { MPI_Finalize() }

    public func abort(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: rank \(rank): \(message)\n".utf8))
        MPI_Abort(world, 1)
        exit(1)
    }

    /// Aborts the job naming `call` and MPI's description of `code` unless it is `MPI_SUCCESS`.
    private func check(_ code: Int32, _ call: String) {
        guard code != MPI_SUCCESS else { return }
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        abort("\(call) failed: \(String(cString: text))")
    }

    public func sum(_ values: inout [Float]) {
        let chunk = Int(Int32.max)
        values.withUnsafeMutableBufferPointer { buffer in
            for start in stride(from: 0, to: buffer.count, by: chunk) {
                let count = Swift.min(chunk, buffer.count - start)
                check(MPI_Allreduce(cmpi_in_place(), buffer.baseAddress! + start, Int32(count), cmpi_float(), cmpi_sum(), world), "MPI_Allreduce")
            }
        }
    }

    public func broadcast(_ bytes: [UInt8]) -> [UInt8] {
        var count = Int64(bytes.count)
        check(MPI_Bcast(&count, 1, cmpi_int64(), 0, world), "MPI_Bcast")
        var buffer = rank == 0 ? bytes : [UInt8](repeating: 0, count: Int(count))
        if count > 0 {
            precondition(count <= Int64(Int32.max), "broadcast of \(count) bytes")
            buffer.withUnsafeMutableBytes { check(MPI_Bcast($0.baseAddress!, Int32(count), cmpi_byte(), 0, world), "MPI_Bcast") }
        }
        return buffer
    }

    public func allGather(_ bytes: [UInt8]) -> [[UInt8]] {
        var mine = Int32(bytes.count)
        var counts = [Int32](repeating: 0, count: size)
        check(MPI_Allgather(&mine, 1, cmpi_int(), &counts, 1, cmpi_int(), world), "MPI_Allgather")
        var offsets = [Int32](repeating: 0, count: size)
        for r in 1..<Swift.max(size, 1) { offsets[r] = offsets[r - 1] + counts[r - 1] }
        let total = Int(offsets[size - 1] + counts[size - 1])
        var all = [UInt8](repeating: 0, count: Swift.max(total, 1))
        var send = bytes.isEmpty ? [0] : bytes
        check(MPI_Allgatherv(&send, mine, cmpi_byte(), &all, &counts, &offsets, cmpi_byte(), world), "MPI_Allgatherv")
        return (0..<size).map { Array(all[Int(offsets[$0])..<Int(offsets[$0] + counts[$0])]) }
    }

    public func barrier() { check(MPI_Barrier(world), "MPI_Barrier") }

    public func send(_ bytes: [UInt8], to rank: Int, tag: Int) {
        precondition(bytes.count <= Int(Int32.max), "message of \(bytes.count) bytes")
        var buffer = bytes
        check(MPI_Send(&buffer, Int32(bytes.count), cmpi_byte(), Int32(rank), Int32(tag), world), "MPI_Send")
    }

    /// Polls with `MPI_Iprobe`, sleeping up to a millisecond between polls: a blocking probe would spin
    /// a core that the computing processes on the host need.
    public func receive(tag: Int) -> (source: Int, bytes: [UInt8]) {
        var status = MPI_Status()
        var found: Int32 = 0, pause: UInt32 = 50
        while true {
            check(MPI_Iprobe(MPI_ANY_SOURCE, Int32(tag), world, &found, &status), "MPI_Iprobe")
            if found != 0 { break }
            usleep(pause)
            pause = Swift.min(pause * 2, 1000)
        }
        var count: Int32 = 0
        check(MPI_Get_count(&status, cmpi_byte(), &count), "MPI_Get_count")
        var bytes = [UInt8](repeating: 0, count: Int(count))
        let source = status.MPI_SOURCE
        check(MPI_Recv(&bytes, count, cmpi_byte(), source, Int32(tag), world, &status), "MPI_Recv")
        return (Int(source), bytes)
    }
}
