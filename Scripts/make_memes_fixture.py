#!/usr/bin/env python3
"""Tiny synthetic Harm-P (harmful memes, politics) fixture for the hnas tests (no real memes).

Writes Tests/HNASKitTests/Fixtures/memes/ in the layout the original loader reads:
  images/<file>                      small RGB images of different sizes (PNG and JPEG)
  annotations/{train,val,test}.jsonl one meme per line: id, image, text, labels
The labels use the original's strings: labels[0] is the harmfulness level ("not harmful",
"somewhat harmful", "very harmful"), labels[1], when present, the target type
("individual", "organization", "community", "society"). Texts include a non-ASCII one and one
with HTML entities, as real OCR text has.

It also writes Tests/StockPipelinesTests/Fixtures/memes/, the same layout with 9 train / 3 val / 3 test memes
(16 × 16 PNGs, levels cycling through the three classes), for the end-to-end `hnas search --dataset memes` tests.

Usage: python3 Scripts/make_memes_fixture.py
       python3 Scripts/make_memes_fixture.py --bench N --out DIR
The second form writes N memes of a realistic size (seeded smooth-noise RGB JPEGs, 480 × 360 to
640 × 640) into DIR in the same layout (all in train.jsonl; val/test hold one meme each), for
`hnas data bench` measurements.
"""
import json
import os

import numpy as np
from PIL import Image

import fixture_cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests/HNASKitTests/Fixtures/memes")

MEMES = {
    "train": [
        ("m01", "m01.png", (40, 24), "Vote for Biden 2020", ["not harmful"]),
        ("m02", "m02.jpg", (30, 50), "Donald Trump's tweets aren't &quot;fake news&quot;", ["very harmful", "individual"]),
        ("m03", "m03.png", (33, 33), "naïve café — über cool", ["somewhat harmful", "organization"]),
        ("m04", "m04.jpg", (64, 20), "COVID-19 vaccines: 95% effective?!", ["very harmful", "society"]),
    ],
    "val": [
        ("m05", "m05.png", (20, 20), "the senate votes today", ["somewhat harmful", "community"]),
    ],
    "test": [
        ("m06", "m06.jpg", (25, 45), "", ["not harmful"]),
        ("m07", "m07.png", (48, 30), "read my lips: no new taxes", ["very harmful", "community"]),
    ],
}


def write_bench(out, n):
    rng = np.random.RandomState(1)
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    os.makedirs(os.path.join(out, "annotations"), exist_ok=True)
    words = ["vote", "tax", "senate", "news", "fake", "election", "president", "policy", "freedom", "war"]
    rows = []
    for i in range(n):
        w, h = int(rng.randint(480, 641)), int(rng.randint(360, 641))
        small = rng.randint(0, 256, size=(h // 16 + 1, w // 16 + 1, 3)).astype(np.uint8)
        image = Image.fromarray(small, "RGB").resize((w, h), Image.BILINEAR)
        image.save(os.path.join(out, "images", f"b{i:05d}.jpg"), format="JPEG", quality=85)
        text = " ".join(words[j] for j in rng.randint(0, len(words), size=int(rng.randint(5, 40))))
        rows.append({"id": f"b{i:05d}", "image": f"b{i:05d}.jpg", "labels": [LEVELS[i % 3]], "text": text})
    for split, part in [("train", rows), ("val", rows[:1]), ("test", rows[:1])]:
        with open(os.path.join(out, "annotations", f"{split}.jsonl"), "w", encoding="utf-8") as f:
            f.write("".join(json.dumps(r) + "\n" for r in part))


LEVELS = ["not harmful", "somewhat harmful", "very harmful"]


SEARCH_WORDS = ["vote", "tax", "senate", "news", "fake", "election", "president", "policy"]
SEARCH_MEMES = {
    split: [(f"{split[:2]}{k}", f"{split[:2]}{k}.png", (16, 16),
             " ".join(SEARCH_WORDS[(k * 3 + j) % len(SEARCH_WORDS)] for j in range(2 + k % 4)), [LEVELS[k % 3]])
            for k in range(n)]
    for split, n in [("train", 9), ("val", 3), ("test", 3)]
}


def write_memes(out, memes):
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    os.makedirs(os.path.join(out, "annotations"), exist_ok=True)
    rng = np.random.RandomState(7)
    for split, rows in memes.items():
        lines = []
        for ident, image, (w, h), text, labels in rows:
            pixels = rng.randint(0, 256, size=(h, w, 3), dtype=np.uint8)
            path = os.path.join(out, "images", image)
            if image.endswith(".png"):
                Image.fromarray(pixels, "RGB").save(path, format="PNG")
            else:
                Image.fromarray(pixels, "RGB").save(path, format="JPEG", quality=90)
            lines.append(json.dumps({"id": ident, "image": image, "labels": labels, "text": text}, ensure_ascii=False))
        with open(os.path.join(out, "annotations", f"{split}.jsonl"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


def write_fixture():
    """Writes the small committed fixtures."""
    write_memes(OUT, MEMES)
    write_memes(os.path.join(ROOT, "Tests/StockPipelinesTests/Fixtures/memes"), SEARCH_MEMES)


if __name__ == "__main__":
    fixture_cli.run(write_fixture, write_bench, description=__doc__.split("\n")[0])
