#!/usr/bin/env python3
"""Convert a Harmonic-NAS / once-for-all PyTorch checkpoint (.pth / .pth.tar / .pt) to safetensors.

Works for the OFA supernets and for the Maxout text backbones: MM-IMDB's `imdb_text_maxout.pt` is
directly a state dict (`op_list.0.lin.weight`, …, `hid2val.bias`); Memes' `supernet_memes_politics_text.pth.tar`
holds it under `state_dict`. Load the result with `MaxoutNetwork.load(from:)` (ModalityText).

The original's checkpoints are dicts whose `state_dict` entry holds the weights of a DDP-wrapped
model, so every key carries a `module.` prefix (SPEC-backbone §2.4). This script takes
`checkpoint["state_dict"]` when present (else the file itself must be the state dict), strips one
leading `module.` from every key, and writes float tensors as F32 and integer tensors
(`num_batches_tracked`) as I64, under once-for-all's names, which `hnas` loads by name.

Usage: python3 Scripts/convert_torch_checkpoint.py supernet_avmnist_image.pth.tar out.safetensors
Needs: torch, safetensors.
"""
import sys

import torch
from safetensors.torch import save_file


def convert(state_dict):
    """Returns {name: contiguous tensor} with the `module.` prefix removed and dtypes F32/I64."""
    out = {}
    for key, value in state_dict.items():
        if not torch.is_tensor(value):
            continue
        name = key[len("module."):] if key.startswith("module.") else key
        if name in out:
            raise SystemExit(f"error: two checkpoint keys map to {name!r}")
        value = value.detach().cpu()
        value = value.to(torch.int64) if not value.is_floating_point() else value.to(torch.float32)
        out[name] = value.contiguous()
    return out


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    checkpoint = torch.load(argv[1], map_location="cpu", weights_only=False)
    state = checkpoint.get("state_dict", checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict):
        raise SystemExit(f"error: {argv[1]} holds no state dict")
    tensors = convert(state)
    save_file(tensors, argv[2], metadata={"source": argv[1].split("/")[-1]})
    print(f"{argv[2]}: {len(tensors)} tensors")


if __name__ == "__main__":
    main(sys.argv)
