#!/usr/bin/env bash
# Installs the system packages hnas builds against (Debian/Ubuntu). The README runs it; .ci/run
# reads the list with `--list` and installs it itself, so the list lives in one place.
# Runs apt-get through sudo when not root.
set -euo pipefail
packages=(
  pkg-config
  libopenblas-dev   # CBLAS: GEMM for the tensor engine
  libjpeg-dev       # CJPEG: libjpeg-turbo, JPEG decoding
  libpng-dev        # CPNG: PNG decoding
  libsndfile1-dev   # CSndFile: WAV/FLAC/OGG reading
  zlib1g-dev        # CZlib: gzip resources (CLIP vocabulary)
  libfftw3-dev      # CFFTW: single-precision FFT for MFCC
  libhdf5-dev       # CHDF5: reading MM-IMDB's multimodal_imdb.hdf5 (hnas data prepare mmimdb)
  libopenmpi-dev    # CMPI: OpenMPI for --distributed mpi (hnas links it; MPI starts only when asked)
  openmpi-bin       # mpirun, to start the processes of a distributed run (and the MPI tests)
)
if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${packages[@]}"
