import ArgumentParser
import DistributedMPI
import Foundation
import HNASKit

/// How a command spreads its work over processes (`--distributed`).
enum DistributedMode: String, ExpressibleByArgument, CaseIterable {
    /// OpenMPI: the processes `mpirun` started (`MPI_COMM_WORLD`).
    case mpi
}

/// `--distributed mpi`: the command runs as one of the processes `mpirun -np N` started. Without the
/// flag nothing touches MPI (no `MPI_Init`), so a single-process `hnas` needs no MPI launcher.
struct DistributedOption: ParsableArguments {
    @Option(help: "Run as one of the processes mpirun starts: 'mpi' (e.g. mpirun -np 2 hnas … --distributed mpi).")
    var distributed: DistributedMode?

    /// The run's communicator (nil without `--distributed`), kept so `Main` can finish or abort MPI.
    nonisolated(unsafe) static var current: MPICommunicator?

    /// Starts MPI when asked. Without `--threads`, each process takes an equal share of the cores
    /// of its host (cores / processes on that host, at least 1), so N processes on one machine do not
    /// oversubscribe it.
    /// - Throws: `HNASError` when the process was not started by mpirun.
    func start(threads: ThreadsOption) throws -> Communicator? {
        guard distributed == .mpi else { return nil }
        let communicator = try MPICommunicator.start()
        Self.current = communicator
        if threads.threads == nil, let local = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init), local > 0 {
            Parallel.threads = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount / local)
        }
        return communicator
    }
}
