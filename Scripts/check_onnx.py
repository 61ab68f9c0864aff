#!/usr/bin/env python3
"""Checks an ONNX file written by `hnas export onnx` against hnas's own forward pass.

Usage: python3 Scripts/check_onnx.py MODEL.onnx CHECK_DIR [MODEL.onnx CHECK_DIR ...]

CHECK_DIR is what `hnas export onnx ... --check-inputs CHECK_DIR` wrote: `input_<name>.npy` for every graph
input (a batch of random preprocessed inputs) and `expected_<name>.npy` for every graph output (what hnas's
evaluation-mode forward pass computed on them: the logits and, with --features, the fusion features).

It runs `onnx.checker.check_model(full_check=True)` (structure and ONNX's own shape inference), then runs the
model with ONNX Runtime (CPU) on the whole batch and on its first sample alone (the batch axis is dynamic)
and compares every output: max |onnx - hnas| <= tol * max |hnas| per output, tol = 1e-4 for FP32 and 2e-2 for
FP16 (the model's `hnas.precision` metadata; FP16 keeps about three significant digits per operation, and
the error grows with depth). Prints one line per output and exits 1 on any failure in any of the pairs.
Needs: pip install onnx onnxruntime numpy
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort

TOLERANCE = {"fp32": 1e-4, "fp16": 2e-2}


def main(model_path, check_dir):
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    precision = {p.key: p.value for p in model.metadata_props}.get("hnas.precision", "fp32")
    tol = TOLERANCE[precision]
    opset = {o.domain: o.version for o in model.opset_import}.get("", 0)
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    feeds = {i.name: np.load(os.path.join(check_dir, f"input_{i.name}.npy")) for i in session.get_inputs()}
    names = [o.name for o in session.get_outputs()]
    expected = {n: np.load(os.path.join(check_dir, f"expected_{n}.npy")) for n in names}
    print(f"{model_path}: onnx.checker ok, opset {opset}, {precision}, inputs "
          + ", ".join(f"{k} {list(v.shape)}" for k, v in feeds.items()))
    failed = False
    for batch, feed in (("batch", feeds), ("first sample", {k: v[:1] for k, v in feeds.items()})):
        for name, got in zip(names, session.run(names, feed)):
            want = expected[name] if batch == "batch" else expected[name][:1]
            if got.shape != want.shape:
                print(f"  {name} ({batch}): shape {list(got.shape)} != hnas {list(want.shape)}: FAIL")
                failed = True
                continue
            diff = float(np.max(np.abs(got.astype(np.float64) - want)))
            scale = float(np.max(np.abs(want)))
            ok = diff <= tol * scale
            failed |= not ok
            print(f"  {name} ({batch}) {list(got.shape)}: max |diff| {diff:.3g} <= {tol:g} x max |hnas| {scale:.4g}: "
                  + ("ok" if ok else "FAIL"))
    return 1 if failed else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    sys.exit(max(main(args[k], args[k + 1]) for k in range(0, len(args), 2)))
