#!/usr/bin/env python3
"""MFCCs per second: hnas vs librosa on the same files, 1 and 2 workers, measured in one run.

Both sides run the whole original AV-MNIST audio chain per file: read the sound file at its
native rate (mono), keep every 3rd sample, 20 MFCCs with the filters placed for 8000 Hz
(librosa 0.7.0 semantics, explicit arguments as in make_audio_fixtures.py), pad to 20 frames.
hnas uses threads (`hnas features mfcc --benchmark DIR --threads N`); librosa uses N worker
processes (a multiprocessing pool), since Python threads would serialise on the GIL. Each
side does one untimed warm-up pass, then timed passes (hnas is ~50x faster, so it gets more
passes to run for a measurable time); sides alternate per worker count so machine load hits
both alike. Besides wall-clock rates it prints rates per CPU-second (user + system time of the
work itself), which depend much less on other processes sharing the machine.

The folder (created if missing) holds FSDD-like clips: spoken digits from espeak-ng with
several voices and speeds, resampled to 8 kHz, 16-bit mono WAV.

Usage: python3 Scripts/bench_mfcc.py [--hnas .build/release/hnas] [--dir /tmp/hnas-mfcc-bench]
                                     [--clips 200] [--repeats 3] [--hnas-repeats 60]
"""
import argparse
import json
import multiprocessing
import os
import subprocess
import tempfile
import time
import warnings

# One BLAS/OpenMP thread per worker, so "N workers" means N cores on both sides.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import librosa  # noqa: E402  (after the thread settings)
import numpy as np  # noqa: E402
import scipy.signal  # noqa: E402
import soundfile as sf  # noqa: E402

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
VOICES = ["en", "en-us", "en+m3", "en+f2", "en-gb-x-rp"]
SPEEDS = [130, 160, 190, 220]


def make_clips(directory, count):
    os.makedirs(directory, exist_ok=True)
    existing = [f for f in os.listdir(directory) if f.endswith(".wav")]
    if len(existing) >= count:
        return
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "raw.wav")
        for index in range(count):
            digit = index % 10
            voice = VOICES[(index // 10) % len(VOICES)]
            speed = SPEEDS[(index // 50) % len(SPEEDS)]
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", raw, DIGITS[digit]], check=True)
            y, sr = sf.read(raw)
            y = scipy.signal.resample_poly(y, 160, 441)  # 22050 -> 8000 Hz
            y = 0.9 * y / max(1e-9, np.abs(y).max())
            sf.write(os.path.join(directory, f"{digit}_espeak_{index}.wav"), y, 8000, subtype="PCM_16")


def wav2mfcc(path):
    """The original's chain with librosa 0.7.0 semantics."""
    warnings.filterwarnings("ignore", message="n_fft=.* is too large")  # FSDD clips are short: intended
    y, _ = librosa.load(path, sr=None, mono=True)
    y = np.asfortranarray(y[::3])
    mel = librosa.feature.melspectrogram(y=y, sr=8000, n_fft=2048, hop_length=512, window="hann", center=True,
                                         pad_mode="reflect", power=2.0, n_mels=128, htk=False, norm="slaney",
                                         dtype=np.float32)
    mfcc = librosa.feature.mfcc(S=librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=80.0), n_mfcc=20,
                                dct_type=2, norm="ortho")
    return np.pad(mfcc, ((0, 0), (0, max(0, 20 - mfcc.shape[1]))))[:, :20]


def cpu_timed_wav2mfcc(path):
    """CPU seconds (this worker process, all its threads) spent on one file."""
    start = time.process_time()
    wav2mfcc(path)
    return time.process_time() - start


def librosa_rates(files, workers, repeats):
    """(files per wall second, files per CPU second)."""
    if workers == 1:
        for path in files:
            wav2mfcc(path)
        start = time.perf_counter()
        cpu = sum(cpu_timed_wav2mfcc(path) for _ in range(repeats) for path in files)
        seconds = time.perf_counter() - start
    else:
        chunk = max(1, len(files) // (4 * workers))
        with multiprocessing.Pool(workers) as pool:
            pool.map(wav2mfcc, files, chunksize=chunk)
            start = time.perf_counter()
            cpu = sum(pool.map(cpu_timed_wav2mfcc, files * repeats, chunksize=chunk))
            seconds = time.perf_counter() - start
    return len(files) * repeats / seconds, len(files) * repeats / cpu


def hnas_rates(hnas, directory, workers, repeats):
    """(files per wall second, files per CPU second)."""
    out = subprocess.run([hnas, "features", "mfcc", "--benchmark", directory, "--threads", str(workers),
                          "--repeats", str(repeats), "--json"], check=True, capture_output=True, text=True)
    result = json.loads(out.stdout)
    return result["mfccsPerSecond"], result["mfccsPerCPUSecond"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hnas", default=".build/release/hnas")
    parser.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "hnas-mfcc-bench"))
    parser.add_argument("--clips", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3, help="timed passes for librosa")
    parser.add_argument("--hnas-repeats", type=int, default=60, help="timed passes for hnas")
    args = parser.parse_args()
    make_clips(args.dir, args.clips)
    files = sorted(os.path.join(args.dir, f) for f in os.listdir(args.dir) if f.endswith(".wav"))
    print(f"{len(files)} clips in {args.dir}; timed passes: hnas {args.hnas_repeats}, librosa {args.repeats} "
          f"(librosa {librosa.__version__}, numpy {np.__version__})")
    print(f"{'workers':>7} | {'hnas MFCC/s':>11} {'librosa MFCC/s':>14} {'ratio':>7} | "
          f"{'hnas MFCC/CPU-s':>15} {'librosa MFCC/CPU-s':>18} {'ratio':>7}")
    for workers in (1, 2):
        ours, ours_cpu = hnas_rates(args.hnas, args.dir, workers, args.hnas_repeats)
        theirs, theirs_cpu = librosa_rates(files, workers, args.repeats)
        print(f"{workers:>7} | {ours:>11.1f} {theirs:>14.1f} {ours / theirs:>6.1f}x | "
              f"{ours_cpu:>15.1f} {theirs_cpu:>18.1f} {ours_cpu / theirs_cpu:>6.1f}x")


if __name__ == "__main__":
    main()
