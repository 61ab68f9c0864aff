#!/usr/bin/env python3
"""Writes the bad-input corpus Tests/hnasTests/Fixtures/bad-inputs/: one small malformed or hostile file
per case, by input kind (images, audio, text, npy, safetensors, arch, genotype, lut, csv, yaml, datasets,
models, runs). Tests/hnasTests/BadInputCorpusTests.swift runs each case through the real `hnas` command and
asserts exit != 0, exactly one `error:` line naming the file or argument, and no new files.

Special files (FIFOs, device nodes, symbolic links) cannot be committed; the test makes them.
Deterministic: rerunning rewrites identical bytes.  Usage: python3 Scripts/make_bad_inputs.py
"""
import io
import json
import os
import shutil
import struct
import zlib

import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "hnasTests", "Fixtures", "bad-inputs")


def write(path, data):
    path = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def jpeg_bytes(mode="L"):
    buffer = io.BytesIO()
    Image.new(mode, (16, 16), 128 if mode == "L" else (10, 20, 30, 40)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def npy(header, payload=b"", version=1):
    text = header.encode("latin-1")
    text += b" " * ((64 - (10 + len(text) + 1) % 64) % 64) + b"\n"
    length = struct.pack("<H", len(text)) if version == 1 else struct.pack("<I", len(text))
    return b"\x93NUMPY" + bytes([version, 0]) + length + text + payload


def safetensors(header, payload=b"", length=None):
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text) if length is None else length) + text + payload


def wav(declared_bytes, present_bytes):
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", declared_bytes)
    return b"RIFF" + struct.pack("<I", len(body) + present_bytes) + body + b"\x01\x00" * (present_bytes // 2)


GENOTYPE_CELL = {"inner_edges": [["skip", 1], ["skip", 0]], "inner_steps": ["ConcatFC"], "inner_concat": [2]}
GOOD_BACKBONES = {"image": {"ks": [5, 5, 5, 5], "e": [3, 3, 4, 3], "d": [2]}, "audio": {"ks": [3, 3, 7, 3], "e": [3, 3, 3, 6], "d": [2]}}


MODEL_INPUTS = [{"modality": modality, "searched": True, "backbone": f"ofa-mbv3-avmnist-{modality}", "config": GOOD_BACKBONES[modality],
                 "weights": f"{modality}.safetensors", "fusion_features": 4, "input_shape": shape}
                for modality, shape in [("image", [1, 28, 28]), ("audio", [1, 20, 20])]]
MODEL = {"format": "hnas-model-1", "dataset": "avmnist", "multi_label": False, "class_names": [str(k) for k in range(10)],
         "inputs": MODEL_INPUTS, "fusion": "fusion.safetensors", "metric_name": "top-1 accuracy"}


def architecture(**changes):
    value = {"dataset": "avmnist", "backbones": GOOD_BACKBONES,
             "fusion": {"steps": 2, "node_steps": 1,
                        "genotype": {"edges": [["skip", 3], ["skip", 6], ["skip", 8], ["skip", 1]],
                                     "steps": [GENOTYPE_CELL, GENOTYPE_CELL], "concat": [8, 9]}}}
    value.update(changes)
    return json.dumps(value)


def main():
    shutil.rmtree(ROOT, ignore_errors=True)

    # Images: decoded by `features image`.
    write("images/empty.png", b"")
    write("images/two-bytes.jpg", b"\xff\xd8")
    write("images/text.png", "this is not an image\n")
    write("images/truncated.jpg", jpeg_bytes()[:120])
    write("images/cmyk.jpg", jpeg_bytes("CMYK"))
    header = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 200000, 200000, 8, 0, 0, 0, 0))
    write("images/huge.png", header + png_chunk(b"IDAT", zlib.compress(b"\0" * 64)) + png_chunk(b"IEND", b""))
    write("images/garbage-after-signature.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)

    # Audio: decoded by `features mfcc`.
    write("audio/empty.wav", b"")
    write("audio/text.wav", "RIFF? no, just text\n")
    write("audio/truncated.wav", wav(declared_bytes=64000, present_bytes=100))
    write("audio/riff-garbage.wav", b"RIFF\xff\xff\xff\xffWAVEfmt " + b"\xff" * 64)

    # Text: `tokenize --file` (one input per line, UTF-8).
    write("text/latin1.txt", "caf\xe9\n".encode("latin-1"))

    # NPY: `infer --input`.
    write("npy/bad-magic.npy", b"NUMPY\x01\x00" + b"\0" * 64)
    write("npy/truncated.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 28, 28), }", b"\0" * 100))
    write("npy/huge-shape.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 1024), }"))
    write("npy/object.npy", npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", b"\0" * 8))
    write("npy/big-endian.npy", npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", b"\0" * 4))
    write("npy/nested.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + "(" * 200 + ")" * 200 + ", }"))
    write("npy/rank1.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", b"\0" * 16))
    write("npy/version9.npy", b"\x93NUMPY\x09\x00" + b"\0" * 64)
    # A valid AV-MNIST audio sample, for the cases whose fault is elsewhere (a flag, the weights).
    write("npy/good-audio.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 20, 20), }", b"\0" * 1600))

    # safetensors: `infer --weights`.
    write("safetensors/short.safetensors", b"\x01\x02\x03")
    write("safetensors/header-too-long.safetensors", safetensors({}, length=1 << 40))
    write("safetensors/header-not-json.safetensors", struct.pack("<Q", 8) + b"not json")
    write("safetensors/shape-overflow.safetensors",
          safetensors({"w": {"dtype": "F32", "shape": [2 ** 62, 4], "data_offsets": [0, 16]}}, b"\0" * 16))
    write("safetensors/overlap.safetensors",
          safetensors({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                       "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}, b"\0" * 16))
    write("safetensors/out-of-range.safetensors",
          safetensors({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}, b"\0" * 8))
    write("safetensors/f16.safetensors", safetensors({"a": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}}, b"\0" * 4))
    write("safetensors/audio-weights.safetensors", safetensors({"__metadata__": {"dataset": "avmnist", "modality": "audio"}}))
    write("safetensors/memes-weights.safetensors", safetensors({"__metadata__": {"dataset": "memes", "modality": "image"}}))

    # Architecture JSON: `lut estimate --arch`, `infer --arch`.
    write("arch/good.json", architecture())
    write("arch/not-json.json", "{\"backbones\": ")
    write("arch/ks-fraction.json", architecture(backbones={**GOOD_BACKBONES, "image": {"ks": [5.5, 5, 5, 5], "e": [3, 3, 4, 3], "d": [2]}}))
    write("arch/ks-string.json", architecture(backbones={**GOOD_BACKBONES, "image": {"ks": "five", "e": [3, 3, 4, 3], "d": [2]}}))
    write("arch/missing-audio.json", architecture(backbones={"image": GOOD_BACKBONES["image"]}))
    few = json.loads(architecture())
    few["fusion"]["genotype"]["edges"] = few["fusion"]["genotype"]["edges"][:2]
    write("arch/few-edges.json", json.dumps(few))
    forward = json.loads(architecture())
    forward["fusion"]["genotype"]["edges"][0] = ["skip", 9]
    write("arch/forward-edge.json", json.dumps(forward))
    write("arch/negative-steps.json", architecture(fusion={"steps": -1, "node_steps": 1}))
    write("arch/huge-int.json", architecture(backbones={**GOOD_BACKBONES, "image": {"ks": [1e300, 5, 5, 5], "e": [3, 3, 4, 3], "d": [2]}}))
    # `best --arch`: no fusion part, no genotype (for --genotype-only), a kernel size outside the search space.
    write("arch/no-fusion.json", json.dumps({"dataset": "avmnist", "backbones": GOOD_BACKBONES}))
    write("arch/no-genotype.json", architecture(fusion={"steps": 2, "node_steps": 1}))
    write("arch/ks-out-of-space.json", architecture(backbones={**GOOD_BACKBONES, "image": {"ks": [4, 5, 5, 5], "e": [3, 3, 4, 3], "d": [2]}}))

    # Genotypes: `genotype plot`.
    genotype = json.loads(architecture())["fusion"]["genotype"]
    write("genotype/good.json", json.dumps(genotype))
    write("genotype/few-edges.json", json.dumps({**genotype, "edges": genotype["edges"][:2]}))
    write("genotype/forward-edge.json", json.dumps({**genotype, "edges": [["skip", 9]] + genotype["edges"][1:]}))
    write("genotype/unknown-op.json", json.dumps({**genotype, "steps": [{**GENOTYPE_CELL, "inner_steps": ["Conv3x3"]}, GENOTYPE_CELL]}))
    write("genotype/no-concat.json", json.dumps({**genotype, "concat": []}))
    write("genotype/truncated-repr.txt", "Genotype(edges=[('skip', 3), ('skip'")

    # Cost tables: `lut estimate --device host --table`.
    key = "0_0_0"
    write("lut/not-json.json", "lat: 1")
    write("lut/empty.json", "{}")
    write("lut/negative.json", json.dumps({key: {"lat": -1, "enrg": 1}}))
    write("lut/huge.json", json.dumps({key: {"lat": "1e300", "enrg": 1}}))
    write("lut/inf.json", json.dumps({key: {"lat": "inf", "enrg": 1}}))

    # CSV: `hnas pareto`.
    write("csv/empty.csv", "")
    write("csv/duplicate-column.csv", "acc,latency,acc\n1,2,3\n")
    write("csv/ragged.csv", "acc,latency\n1,2\n3\n")
    write("csv/open-quote.csv", "acc,latency\n\"1,2\n")
    write("csv/not-a-number.csv", "acc,latency,energy\n90,abc,1\n")
    rng = np.random.default_rng(0)
    rows = rng.random((40, 10))
    write("csv/ten-objectives.csv", ",".join(f"f{i}" for i in range(10)) + "\n"
          + "".join(",".join(f"{v:.6f}" for v in row) + "\n" for row in rows))

    # YAML search configs: `search --config`.
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level, name in enumerate("bcdefghi"):
        previous = "a" if level == 0 else "bcdefghi"[level - 1]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    write("yaml/alias-bomb.yml", "\n".join(lines) + "\n")
    write("yaml/not-yaml.yml", "evo_search_outer: [1, 2\n")
    write("yaml/list.yml", "- 1\n- 2\n")
    write("yaml/population-huge.yml", "evo_search_outer:\n  parent_popu_size: 1000000000\n")
    write("yaml/channels-huge.yml", "C: 100000000\n")
    write("yaml/multiplier-huge.yml", "multiplier: 1000000000\n")
    write("yaml/evo-iter-fraction.yml", "evo_search_outer:\n  evo_iter: 2.5\n")
    write("yaml/calibration-zero.yml", "post_bn_calibration_batch_num: 0\n")
    write("yaml/not-utf8.yml", b"seed: \xff\xfe\n")

    # Dataset folders: `data check --dataset avmnist`.
    write("datasets/no-layout/.keep", "")
    write("datasets/no-sound/mnist/train/0/a.png", b"")
    write("datasets/no-sound/mnist/test/0/a.png", b"")

    # Model directories: `predict --model` (the layout `best` and a search write, ModelManifest). The weights are
    # placeholders: the manifest and every input are checked before any weights are read, so each case fails there,
    # except models/avmnist with good inputs, which fails on its image weights.
    for name, changes, skip in [
            ("avmnist", {}, ()),
            ("no-manifest", {}, ("model.json",)),
            ("missing-fusion", {}, ("fusion.safetensors",)),
            ("other-format", {"format": "hnas-model-0"}, ()),
            ("zero-features", {"inputs": [{**MODEL_INPUTS[0], "fusion_features": 0}, MODEL_INPUTS[1]]}, ()),
            ("outside", {"inputs": [{**MODEL_INPUTS[0], "weights": "../image.safetensors"}, MODEL_INPUTS[1]]}, ()),
            ("threshold", {"threshold": 1.5}, ())]:
        files = {"model.json": json.dumps({**MODEL, **changes}), "arch.json": architecture(), "image.safetensors": "placeholder\n",
                 "audio.safetensors": "placeholder\n", "fusion.safetensors": "placeholder\n"}
        for file, data in files.items():
            if file not in skip:
                write(f"models/{name}/{file}", data)
    write("models/manifest-not-json/model.json", "{\"format\": ")

    # Run directories: `search --out`, `search --resume`.
    write("runs/foreign/config.json", json.dumps({"mine": True}))
    write("runs/foreign/notes.txt", "my notes\n")
    write("runs/bad-state/.hnas-run", "hnas run directory\n")
    settings = {"parentPopulationSize": 2, "outerSurvivalRatio": 0.5, "mutateSize": 1, "crossoverSize": 1, "mutateProbability": 0.4,
                "crossoverProbability": 0.8, "generations": 2, "innerSurvivalRatio": 0.25, "evolveMacro": False,
                "macroSpace": {"defaultCells": 2, "cellCandidates": [1, 3, 4], "defaultNodes": 1, "nodeCandidates": [2, 3, 4],
                               "replaceProbability": 0.5}}
    fusion = {"epochs": 1, "retrainEpochs": 1, "batchSize": 64, "seed": 42, "fusionProtocol": "sound", "channels": 8, "length": 4,
              "multiplier": 2, "dropout": 0.1, "learningRateMax": 1e-4, "learningRateMin": 1e-6, "weightDecay": 1e-4,
              "archLearningRate": 3e-4, "archWeightDecay": 1e-3, "hardwareWeight": 0.1, "validationFraction": 0.2}
    write("runs/bad-state/config.json", json.dumps({"version": "0", "dataset": "avmnist", "data": "Data/avmnist-sample", "search": "evolution",
                                                    "fusion": "darts", "hardware": "tx2", "seed": 42, "settings": settings,
                                                    "fusionOptions": fusion, "weightsDir": "weights", "supernetEpochs": 1,
                                                    "calibrationBatches": 1}))
    write("runs/bad-state/generations/000.json", "{\"generation\": -5}")


if __name__ == "__main__":
    main()
