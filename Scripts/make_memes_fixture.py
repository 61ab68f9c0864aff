#!/usr/bin/env python3
"""Tiny synthetic Harm-P (harmful memes, politics) fixture for the hnas tests (no real memes).

Writes Tests/HNASKitTests/Fixtures/memes/ in the layout the original loader reads:
  images/<file>                      small RGB images of different sizes (PNG and JPEG)
  annotations/{train,val,test}.jsonl one meme per line: id, image, text, labels
The labels use the original's strings: labels[0] is the harmfulness level ("not harmful",
"somewhat harmful", "very harmful"), labels[1], when present, the target type
("individual", "organization", "community", "society"). Texts include a non-ASCII one and one
with HTML entities, as real OCR text has.

Usage: python3 Scripts/make_memes_fixture.py
"""
import json
import os

import numpy as np
from PIL import Image

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


def main():
    os.makedirs(os.path.join(OUT, "images"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "annotations"), exist_ok=True)
    rng = np.random.RandomState(7)
    for split, memes in MEMES.items():
        lines = []
        for ident, image, (w, h), text, labels in memes:
            pixels = rng.randint(0, 256, size=(h, w, 3), dtype=np.uint8)
            path = os.path.join(OUT, "images", image)
            if image.endswith(".png"):
                Image.fromarray(pixels, "RGB").save(path, format="PNG")
            else:
                Image.fromarray(pixels, "RGB").save(path, format="JPEG", quality=90)
            lines.append(json.dumps({"id": ident, "image": image, "labels": labels, "text": text}, ensure_ascii=False))
        with open(os.path.join(OUT, "annotations", f"{split}.jsonl"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
