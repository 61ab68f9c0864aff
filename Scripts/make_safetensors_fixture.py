#!/usr/bin/env python3
"""Writes Tests/HNASEngineTests/Fixtures/python_written.safetensors with the Python `safetensors` package.

The Swift tests load it and check names, shapes, dtypes, values and metadata, so the reader is
tested against the reference implementation of the format, not only against our own writer.

Usage: python3 Scripts/make_safetensors_fixture.py   (needs: pip install safetensors numpy)
"""
import os

import numpy as np
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "HNASEngineTests", "Fixtures", "python_written.safetensors")

tensors = {
    # A conv weight [2, 1, 3, 3] holding 0, 0.5, 1, ... 8.5.
    "0.weight": (np.arange(18, dtype=np.float32) * 0.5).reshape(2, 1, 3, 3),
    # BatchNorm state as PyTorch names it; num_batches_tracked is a rank-0 int64.
    "1.weight": np.array([1.0, -2.0], dtype=np.float32),
    "1.bias": np.array([0.25, 0.0], dtype=np.float32),
    "1.running_mean": np.array([0.1, 0.2], dtype=np.float32),
    "1.running_var": np.array([1.5, 2.5], dtype=np.float32),
    "1.num_batches_tracked": np.array(7, dtype=np.int64),
    # Extreme float values survive bit for bit.
    "extremes": np.array([-0.0, 1e-38, 3.4e38, -1.0 / 3.0], dtype=np.float32),
}
save_file(tensors, OUT, metadata={"format": "pt", "written_by": "make_safetensors_fixture.py"})
print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")
