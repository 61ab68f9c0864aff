#!/usr/bin/env python3
"""Writes the .npy fixtures of Tests/ModalityTextTests/Fixtures/npy/ with numpy, plus manifest.json
saying what each file must decode to (shape, dtype, values) or which error it must raise.

Usage: python3 Scripts/make_npy_fixtures.py
"""
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "ModalityTextTests", "Fixtures", "npy")


def save(name, array, version=None):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=True)
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {"valid": [], "invalid": []}

    def valid(name, array, version=None, written_by_numpy_save=False):
        save(name, array, version)
        manifest["valid"].append({
            "file": name, "descr": array.dtype.str, "shape": list(array.shape),
            "values": [int(bool(v)) if array.dtype == bool else (int(v) if array.dtype.kind == "i" else float(v))
                       for v in np.ravel(array, order="C")],
            "numpy_save_bytes": written_by_numpy_save})

    rng = np.random.default_rng(7)
    valid("f4_2x3.npy", rng.standard_normal((2, 3)).astype("<f4"), written_by_numpy_save=True)
    valid("f8_4.npy", np.array([0.0, -1.5, 1e300, np.pi], dtype="<f8"), written_by_numpy_save=True)
    valid("i8_2x2.npy", np.array([[0, -1], [2**62, -(2**63)]], dtype="<i8"), written_by_numpy_save=True)
    valid("i4_3.npy", np.array([7, -7, 2**31 - 1], dtype="<i4"), written_by_numpy_save=True)
    valid("b1_2x2x2.npy", np.array([True, False] * 4, dtype=bool).reshape(2, 2, 2), written_by_numpy_save=True)
    valid("f4_scalar.npy", np.array(3.25, dtype="<f4"), written_by_numpy_save=True)
    valid("f4_empty.npy", np.zeros((0, 5), dtype="<f4"), written_by_numpy_save=True)
    valid("f4_300_text_feature.npy", rng.standard_normal(300).astype("<f4"), written_by_numpy_save=True)
    valid("f4_v2.npy", np.arange(6, dtype="<f4").reshape(3, 2), version=(2, 0))
    valid("f4_v3.npy", np.arange(4, dtype="<f4"), version=(3, 0))
    valid("f4_fortran_1d.npy", np.asfortranarray(np.arange(3, dtype="<f4")))

    def invalid(name, reason):
        manifest["invalid"].append({"file": name, "reason": reason})

    save("fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
    invalid("fortran_2x3.npy", "Fortran-order")
    save("object.npy", np.array([{"a": 1}, None], dtype=object))
    invalid("object.npy", "object arrays")
    save("big_endian.npy", np.arange(3, dtype=">f4"))
    invalid("big_endian.npy", "big-endian")
    save("uint8.npy", np.arange(3, dtype="u1"))
    invalid("uint8.npy", "dtype '|u1' is not supported")
    save("structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
    invalid("structured.npy", "structured dtypes")
    path = save("truncated.npy", np.arange(10, dtype="<f4"))
    data = open(path, "rb").read()
    open(path, "wb").write(data[:-7])
    invalid("truncated.npy", "payload is truncated")
    open(os.path.join(OUT, "bad_magic.npy"), "wb").write(b"PK\x03\x04" + data[4:])
    invalid("bad_magic.npy", "magic string")
    header_end = data.index(b"\n") + 1
    bad = data[:10] + data[10:header_end].replace(b"'shape': (10,)", b"'shape': [1O,)") + data[header_end:]
    open(os.path.join(OUT, "bad_header.npy"), "wb").write(bad)
    invalid("bad_header.npy", "header")
    open(os.path.join(OUT, "header_truncated.npy"), "wb").write(data[:40])
    invalid("header_truncated.npy", "header says")
    open(os.path.join(OUT, "version9.npy"), "wb").write(data[:6] + b"\x09\x00" + data[8:])
    invalid("version9.npy", "version 9.0")

    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(manifest['valid'])} valid, {len(manifest['invalid'])} invalid fixtures in {OUT}")


if __name__ == "__main__":
    main()
