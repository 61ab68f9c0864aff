#!/usr/bin/env python3
"""Images decoded + preprocessed per second: hnas vs PIL + torchvision semantics, side by side.

Creates (once) two folders of synthetic images under --work:
  memes/   JPEG photos 500 x 375 (quality 90), preprocessed as the original's Memes pipeline:
           RGB, bicubic shorter side 112, centre crop 112, ToTensor, CLIP Normalize;
  avmnist/ 28 x 28 gray PNG digits: ToTensor, Normalize(0.5, 0.5).
For each dataset and thread count it times the Python reference (a process pool with one worker
per thread, like DataLoader workers; each worker uses one torch thread) and then
`hnas features image --benchmark DIR --threads N --dataset D` on the same files, and prints the
median of --trials paired ratios (the two sides run back to back), since the machine is shared.
torchvision itself is not installable next to torch 2.13 CPU from PyPI, so its transforms
are reproduced with the PIL and torch calls they make (see make_image_fixtures.py).

    swift build -c release --product hnas
    python3 Scripts/bench_image_decoding.py --hnas .build/release/hnas
"""
import argparse
import multiprocessing as mp
import os
import re
import subprocess
import time

import numpy as np
import torch
from PIL import Image

CLIP_MEAN = torch.tensor((0.48145466, 0.4578275, 0.40821073))[:, None, None]
CLIP_STD = torch.tensor((0.26862954, 0.26130258, 0.27577711))[:, None, None]


def make_images(folder, count, kind):
    if os.path.isdir(folder) and len(os.listdir(folder)) == count:
        return
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(1)
    for i in range(count):
        if kind == "memes":
            w, h = 500, 375
            y, x = np.mgrid[0:h, 0:w].astype(np.float32)
            planes = [128 + 100 * np.sin(x / (17 + 5 * c + i % 7) + y / (23 + i % 5)) for c in range(3)]
            a = np.clip(np.stack(planes, -1) + rng.normal(0, 12, (h, w, 3)), 0, 255).astype(np.uint8)
            Image.fromarray(a).save(os.path.join(folder, f"{i:04d}.jpg"), quality=90)
        else:
            a = np.clip(rng.normal(60, 80, (28, 28)), 0, 255).astype(np.uint8)
            Image.fromarray(a).save(os.path.join(folder, f"{i:04d}.png"))


def memes(path):
    im = Image.open(path).convert("RGB")
    w, h = im.size
    short, long_ = (w, h) if w <= h else (h, w)
    new_long = int(112 * long_ / short)
    im = im.resize((112, new_long) if w <= h else (new_long, 112), Image.Resampling.BICUBIC)
    top, left = int(round((im.size[1] - 112) / 2.0)), int(round((im.size[0] - 112) / 2.0))
    im = im.crop((left, top, left + 112, top + 112))
    t = torch.from_numpy(np.asarray(im).copy()).permute(2, 0, 1).contiguous().float().div(255)
    return (t - CLIP_MEAN) / CLIP_STD


def avmnist(path):
    im = Image.open(path)
    t = torch.from_numpy(np.asarray(im).copy())[None].float().div(255)
    return (t - 0.5) / 0.5


def work(args):
    fn, paths = args
    for p in paths:
        (memes if fn == "memes" else avmnist)(p)
    return len(paths)


def init_worker():
    torch.set_num_threads(1)


def python_rate(files, dataset, threads, repeats):
    chunks = [files[i::threads] for i in range(threads)]
    with mp.get_context("fork").Pool(threads, initializer=init_worker) as pool:
        pool.map(work, [(dataset, c[:2]) for c in chunks])  # warm-up
        start = time.perf_counter()
        done = 0
        for _ in range(repeats):
            done += sum(pool.map(work, [(dataset, c) for c in chunks]))
        return done / (time.perf_counter() - start)


def hnas_rate(binary, folder, dataset, threads, repeats):
    out = subprocess.run([binary, "features", "image", "--benchmark", folder, "--threads", str(threads),
                          "--dataset", dataset, "--repeats", str(repeats)], check=True, capture_output=True, text=True).stdout
    return float(re.search(r"([0-9.]+) images/s", out).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hnas", default=".build/release/hnas")
    parser.add_argument("--work", default="/tmp/hnas-image-bench")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--trials", type=int, default=7, help="back-to-back trials per setting; medians are reported")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"{'dataset':8} {'threads':>7} {'PIL+torch img/s':>16} {'hnas img/s':>11} {'hnas/PIL':>9}   (medians)")
    for dataset in ("memes", "avmnist"):
        folder = os.path.join(args.work, dataset)
        make_images(folder, args.count, dataset)
        files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
        for threads in (1, 2):
            # Other processes share the machine: run the two sides back to back, several times,
            # and report the medians of the rates and of the paired ratios.
            pys, sws, ratios = [], [], []
            for _ in range(args.trials):
                pys.append(python_rate(files, dataset, threads, args.repeats))
                sws.append(hnas_rate(args.hnas, folder, dataset, threads, args.repeats))
                ratios.append(sws[-1] / pys[-1])
            py, sw, ratio = np.median(pys), np.median(sws), np.median(ratios)
            print(f"{dataset:8} {threads:7d} {py:16.1f} {sw:11.1f} {ratio:9.2f}   "
                  f"(ratio range {min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
