#!/usr/bin/env python3
"""Audio fixtures and librosa reference MFCCs for Tests/ModalityAudioTests.

Writes small sound files (several sample rates, channel counts and sample formats; synthetic
tones, chirps and noise plus espeak-ng speech), a corpus of broken inputs, and
`mfcc_reference.json` holding, per file, the decoded mono signal's summary and librosa's MFCC
computed the way the original Harmonic-NAS AV-MNIST loader does (`data/avmnist/wav2mfcc.py`):

    y, _ = librosa.load(path, mono=True, sr=None)   # native rate, channels averaged
    y = y[::3]                                       # decimation by sample dropping
    M = librosa.feature.mfcc(y, sr=8000, n_mfcc=20)  # librosa 0.7.0 defaults

librosa 0.7.0 does not install on this Python (it imports `pkg_resources` and
`numba.decorators`, gone from current setuptools / numba), so the references come from the
installed librosa (0.11) with every parameter spelled out so that 0.7.0's semantics hold.
Defaults that differ between 0.7.0 and 0.11 for these calls:

- `stft` / `melspectrogram` `pad_mode`: 0.7.0 'reflect', 0.11 'constant'  -> passed as 'reflect'.
- `filters.mel` `norm`: 0.7.0 `1` meaning Slaney area normalisation, 0.11 `'slaney'` (the same
  weights, verified equal). Beware: 0.11 still accepts `norm=1` but it then means L1
  normalisation (every filter sums to 1), a different matrix       -> passed as 'slaney'.
- `mfcc` keyword-only arguments in 0.11 (`y=`), positional in 0.7.0 (no numeric effect).
- `mfcc` in 0.11 forwards extra keywords to `melspectrogram` only, so `power_to_db`'s
  ref/amin/top_db (unchanged defaults 1.0 / 1e-10 / 80) are applied here by calling the three
  steps explicitly; the DCT moved from scipy.fftpack to scipy.fft (same orthonormal DCT-II).
- `load(sr=None, mono=True)`: both read through soundfile as float32 and average channels.

Cross-check (done once by hand, not needed to run this script): librosa 0.7.0 from its PyPI
sdist, imported with two stand-in modules (`pkg_resources.resource_filename`, a `resampy` stub)
and `numba.decorators.jit` replaced by `numba.jit`, gives bit-identical MFCCs to this script's
calls on noise, tone, short (600 samples) and 3-sample signals.

Usage: python3 Scripts/make_audio_fixtures.py [output dir]
       (default Tests/ModalityAudioTests/Fixtures)
"""
import json
import os
import subprocess
import sys
import tempfile
import warnings

import librosa
import numpy as np
import scipy.signal
import soundfile as sf

SEED = 20240601

# The original's MFCC call (librosa 0.7.0 defaults made explicit).
MEL_ARGS = dict(n_fft=2048, hop_length=512, win_length=None, window="hann", center=True,
                pad_mode="reflect", power=2.0, n_mels=128, fmin=0.0, fmax=None, htk=False,
                norm="slaney", dtype=np.float32)
DB_ARGS = dict(ref=1.0, amin=1e-10, top_db=80.0)
DCT_ARGS = dict(dct_type=2, norm="ortho", lifter=0)


def mfcc_like_original(y, sr, n_mfcc, decimate):
    """librosa's MFCC of y[::decimate] with the mel filters placed for rate `sr`."""
    y = np.asfortranarray(y[::decimate])
    mel = librosa.feature.melspectrogram(y=y, sr=sr, **MEL_ARGS)
    db = librosa.power_to_db(mel, **DB_ARGS)
    return librosa.feature.mfcc(S=db, n_mfcc=n_mfcc, **DCT_ARGS)


def espeak(text, speed):
    """espeak-ng speech of `text` as float64 samples at 22050 Hz."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "speech.wav")
        subprocess.run(["espeak-ng", "-v", "en", "-s", str(speed), "-w", path, text], check=True)
        y, sr = sf.read(path)
    assert sr == 22050
    return y


def chirp(sr, seconds, f0, f1):
    t = np.arange(int(sr * seconds)) / sr
    return scipy.signal.chirp(t, f0=f0, t1=seconds, f1=f1, method="logarithmic")


def tone(sr, seconds, freq, amp):
    t = np.arange(int(sr * seconds)) / sr
    return amp * np.sin(2 * np.pi * freq * t)


def sound_files(rng):
    """(file name, samples [frames] or [frames, channels], rate, soundfile format, subtype)."""
    seven = espeak("seven", 200)
    three = espeak("three", 220)
    seven_8k = scipy.signal.resample_poly(seven, 160, 441)  # 22050 -> 8000 Hz, like FSDD
    stereo_16k = np.stack([0.6 * chirp(16000, 0.5, 100, 6000),
                           tone(16000, 0.5, 523.25, 0.3) + 0.05 * rng.standard_normal(8000)], axis=1)
    noise_44k = 0.2 * rng.standard_normal(int(44100 * 0.75)) + tone(44100, 0.75, 300, 0.2)
    three_ch_8k = np.stack([tone(8000, 0.4, 200, 0.5), chirp(8000, 0.4, 50, 3500) * 0.4,
                            0.1 * rng.standard_normal(3200)], axis=1)
    return [
        ("speech_8k_mono_pcm16.wav", 0.9 * seven_8k / np.abs(seven_8k).max(), 8000, "WAV", "PCM_16"),
        ("speech_22k_mono_pcm16.wav", three, 22050, "WAV", "PCM_16"),
        ("chirp_16k_stereo_float.wav", stereo_16k, 16000, "WAV", "FLOAT"),
        ("noise_44k_mono_pcm16.wav", noise_44k, 44100, "WAV", "PCM_16"),     # 22 frames: truncation
        ("tone_8k_short_pcm16.wav", tone(8000, 0.1, 440, 0.5), 8000, "WAV", "PCM_16"),  # 1 frame
        ("mixed_8k_3ch_pcm24.wav", three_ch_8k, 8000, "WAV", "PCM_24"),
        ("speech_16k_mono.flac", scipy.signal.resample_poly(seven, 320, 441) * 0.5, 16000, "FLAC", "PCM_16"),
    ]


def broken_files(out, good_wav):
    """Inputs that must give a typed error (names describe what is wrong)."""
    data = open(good_wav, "rb").read()
    png_magic = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    corpus = {
        "zero_bytes.wav": b"",
        "text_named.wav": b"this is a text file, not audio\n" * 4,
        "png_named.wav": png_magic,
        "truncated_header.wav": data[:30],
        "riff_no_data_chunk.wav": data[:36],
    }
    os.makedirs(os.path.join(out, "broken"), exist_ok=True)
    for name, blob in corpus.items():
        with open(os.path.join(out, "broken", name), "wb") as f:
            f.write(blob)
    return sorted(corpus)


def main():
    warnings.filterwarnings("ignore", message="n_fft=.* is too large")  # short clips are intended
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "Tests", "ModalityAudioTests", "Fixtures")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    entries = []
    for name, samples, sr, fmt, subtype in sound_files(rng):
        path = os.path.join(out, name)
        clipped = np.clip(samples, -1.0, 32767 / 32768).astype(np.float32)
        sf.write(path, clipped, sr, format=fmt, subtype=subtype)
        # Read back exactly as the original does.
        y, rate = librosa.load(path, sr=None, mono=True)
        assert rate == sr and y.dtype == np.float32
        info = sf.info(path)
        mfcc = mfcc_like_original(y, 8000, 20, 3)
        entry = {
            "file": name, "sampleRate": sr, "channels": info.channels, "frames": info.frames,
            "monoHead": [float(v) for v in y[:32]], "monoSum": float(np.sum(y, dtype=np.float64)),
            "mfcc": mfcc.astype(np.float64).tolist(),
        }
        if name == "chirp_16k_stereo_float.wav":
            # A non-default call: no decimation, filters at the true rate, 13 coefficients.
            entry["mfcc16kNoDecimation13"] = mfcc_like_original(y, 16000, 13, 1).astype(np.float64).tolist()
        entries.append(entry)
        print(f"{name}: {sr} Hz x {info.channels} ch, {info.frames} frames -> mfcc {mfcc.shape}")

    # Slaney filterbanks, stored sparsely (first nonzero bin + values per filter).
    filterbanks = []
    for sr, n_fft, n_mels in [(8000, 2048, 128), (16000, 512, 40)]:
        basis = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=0.0, fmax=None,
                                    htk=False, norm="slaney", dtype=np.float32)
        rows = []
        for row in basis:
            nz = np.nonzero(row)[0]
            start = int(nz[0]) if len(nz) else 0
            stop = int(nz[-1]) + 1 if len(nz) else 0
            rows.append({"start": start, "values": row[start:stop].astype(np.float64).tolist()})
        filterbanks.append({"sampleRate": sr, "nFFT": n_fft, "nMels": n_mels, "rows": rows})

    broken = broken_files(out, os.path.join(out, "speech_8k_mono_pcm16.wav"))
    reference = {"librosa": librosa.__version__, "numpy": np.__version__, "files": entries,
                 "filterbanks": filterbanks, "broken": broken}
    with open(os.path.join(out, "mfcc_reference.json"), "w") as f:
        json.dump(reference, f)
        f.write("\n")


if __name__ == "__main__":
    main()
