#!/usr/bin/env python3
"""Writes Tests/HNASBenchTests/Fixtures/bench_state_dicts.json: the state-dict names and shapes of
PyTorch's build of two benchmark networks (torch_reference.py's `Net`), so the Swift test can check
that `BenchNetwork.makeModel` builds the same layers (names without the `body.` prefix).

Usage: python3 Scripts/make_bench_state_dict_fixture.py [path/to/torch_reference.py dir]
(default ../shared/bench; needs torch).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "bench"))
import torch_reference  # noqa: E402

with open(os.path.join(HERE, "..", "Benchmarks", "nets.json")) as f:
    spec = json.load(f)
out = {}
for name in ["avmnist-image-max", "memes-image-max"]:
    model = torch_reference.Net(spec[name])
    out[name] = [[k[len("body."):], list(v.shape)] for k, v in model.state_dict().items()]
path = os.path.join(HERE, "..", "Tests", "HNASBenchTests", "Fixtures", "bench_state_dicts.json")
with open(path, "w") as f:
    json.dump(out, f, indent=0)
print(f"wrote {os.path.normpath(path)}")
