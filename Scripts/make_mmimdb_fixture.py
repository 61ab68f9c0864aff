#!/usr/bin/env python3
"""Tiny synthetic MM-IMDB fixtures for the hnas tests (no real MM-IMDB data).

Writes
  Tests/HNASKitTests/Fixtures/mmimdb/           a prepared folder, as the original's converter lays it out:
      mmimdb_split.json                         train 3 ids, dev 1, test 2
      {train,dev,test}/{image,text,label}_{k:06d}.npy
  Tests/StockPipelinesTests/Fixtures/mmimdb-hdf5/
      tiny.hdf5          the published file's datasets (imdb_ids S7, images N×3×H×W int32,
                         features N×300 float32, genres N×23 int32), rows in an order that is NOT
                         the split order, plus an unused dataset (`sequences`) as in the real file
      tiny_split.json    the split of those ids
      no_genres.hdf5     the same without `genres` (a file the converter must reject)

Values follow formulas the tests recompute: for the sample with IMDb id `id` (an integer),
  image[c, h, w] = (id % 97) * 10 + c * 100 - h * 7 + w - 60     (negative values, as in BGR mean-subtracted)
  text[j]        = id / 1000 + j / 300          (float32)
  label[g]       = 1 if (id + g) % 5 == 0 or g == id % 23 else 0
Image size 3 × 6 × 4 keeps the files small (the real posters are 3 × 256 × 160).
  Tests/StockPipelinesTests/Fixtures/mmimdb/    a prepared folder with the same formulas, 8 train / 4 dev /
                                                4 test samples, for the end-to-end `hnas search --dataset mmimdb`
                                                tests

Usage: python3 Scripts/make_mmimdb_fixture.py
       python3 Scripts/make_mmimdb_fixture.py --bench N --out DIR
The second form writes DIR/bench.hdf5 and DIR/bench_split.json instead: N samples of the real sizes
(3 × 256 × 160 int32 posters with seeded random values, 300-d features, 23 genres), split 60/10/30
%, for `hnas data prepare` and `hnas data bench` measurements.
"""
import json
import os

import h5py
import numpy as np

import fixture_cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
C, H, W = 3, 6, 4
SPLIT = {"train": ["0000101", "0000007", "0000230"], "dev": ["0000042"], "test": ["0000999", "0000500"]}
HDF5_ORDER = ["0000500", "0000101", "0000042", "0000999", "0000230", "0000007"]


def image(i):
    c, h, w = np.meshgrid(np.arange(C), np.arange(H), np.arange(W), indexing="ij")
    return ((i % 97) * 10 + c * 100 - h * 7 + w - 60).astype(np.int32)


def text(i):
    return (i / 1000 + np.arange(300) / 300).astype(np.float32)


def label(i):
    g = np.arange(23)
    return (((i + g) % 5 == 0) | (g == i % 23)).astype(np.int32)


SEARCH_SPLIT = {"train": [f"{100 + 37 * k:07d}" for k in range(8)],
                "dev": [f"{2000 + 41 * k:07d}" for k in range(4)],
                "test": [f"{3000 + 43 * k:07d}" for k in range(4)]}


def write_prepared(folder, split=SPLIT):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "mmimdb_split.json"), "w") as f:
        json.dump(split, f)
    for stage, ids in split.items():
        os.makedirs(os.path.join(folder, stage), exist_ok=True)
        for k, ident in enumerate(ids):
            i = int(ident)
            for part, array in [("image", image(i)), ("text", text(i)), ("label", label(i))]:
                np.save(os.path.join(folder, stage, f"{part}_{k:06d}.npy"), array)


def write_hdf5(path, with_genres=True):
    ids = [int(x) for x in HDF5_ORDER]
    with h5py.File(path, "w") as f:
        f.create_dataset("imdb_ids", data=np.array([x.encode() for x in HDF5_ORDER], dtype="S7"))
        f.create_dataset("images", data=np.stack([image(i) for i in ids]))
        f.create_dataset("features", data=np.stack([text(i) for i in ids]))
        if with_genres:
            f.create_dataset("genres", data=np.stack([label(i) for i in ids]))
        f.create_dataset("sequences", data=np.zeros((len(ids), 4), dtype=np.int32))


def write_bench(out, n):
    rng = np.random.RandomState(0)
    ids = [f"{1000000 + i:07d}" for i in range(n)]
    train, dev = int(n * 0.6), int(n * 0.1)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "bench_split.json"), "w") as f:
        json.dump({"train": ids[:train], "dev": ids[train:train + dev], "test": ids[train + dev:]}, f)
    with h5py.File(os.path.join(out, "bench.hdf5"), "w") as f:
        f.create_dataset("imdb_ids", data=np.array([x.encode() for x in ids], dtype="S7"))
        images = f.create_dataset("images", shape=(n, 3, 256, 160), dtype=np.int32)
        for i in range(n):
            images[i] = rng.randint(-124, 153, size=(3, 256, 160))
        f.create_dataset("features", data=rng.standard_normal((n, 300)).astype(np.float32))
        f.create_dataset("genres", data=(rng.random_sample((n, 23)) < 0.1).astype(np.int32))


def write_fixture():
    """Writes the small committed fixture."""
    write_prepared(os.path.join(ROOT, "Tests/HNASKitTests/Fixtures/mmimdb"))
    write_prepared(os.path.join(ROOT, "Tests/StockPipelinesTests/Fixtures/mmimdb"), SEARCH_SPLIT)
    folder = os.path.join(ROOT, "Tests/StockPipelinesTests/Fixtures/mmimdb-hdf5")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "tiny_split.json"), "w") as f:
        json.dump(SPLIT, f)
    write_hdf5(os.path.join(folder, "tiny.hdf5"))
    write_hdf5(os.path.join(folder, "no_genres.hdf5"), with_genres=False)


if __name__ == "__main__":
    fixture_cli.run(write_fixture, write_bench, description=__doc__.split("\n")[0])
