#!/usr/bin/env python3
"""Reference data for hnas's Maxout text backbone tests (SPEC-backbone §3, `Our_Maxout`).

Builds the network in torch from the spec's description, at a small size (12 input features,
first hidden 8, 2 blocks, factor 2, 4 pieces, 3 outputs), under Harmonic-NAS's state-dict names
(`op_list.<2b>.lin.*` for maxout units, `op_list.<2b+1>.0.*` for BatchNorm1d, `hid2val.*`), with
random weights and BN statistics. The weights are saved the way the original ships them (a torch
checkpoint with a `state_dict` entry and DDP `module.` prefixes) and converted with
`Scripts/convert_torch_checkpoint.py`, so the test also covers that path.

Writes to Tests/ModalityTextTests/Fixtures/:
  maxout.safetensors           the converted weights (nothing else: hnas loads them strictly)
  maxout_expected.safetensors  `input` [5, 12];
                               eval mode: `eval.0|1|2` = [maxout0, maxout1, logits];
                               train mode with dropout 0 (batch statistics): `train.0|1|2`, the
                               running statistics after that one step (`train.<name>`), and the
                               gradients `grad.<parameter>` of sum_i sum(out_i * `cotangent.i`).
"""
import importlib.util
import os
import tempfile

import torch
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "ModalityTextTests", "Fixtures")


class Unit(torch.nn.Module):
    """Linear d → m·k, contiguous groups of k pieces, max over each group."""

    def __init__(self, d, m, k):
        super().__init__()
        self.m, self.k = m, k
        self.lin = torch.nn.Linear(d, m * k)

    def forward(self, x):
        return self.lin(x).reshape(x.shape[0], self.m, self.k).amax(dim=2)


def build(d, hidden, outputs, k, dropout):
    ops = [Unit(d, hidden, k), torch.nn.Sequential(torch.nn.BatchNorm1d(hidden), torch.nn.Dropout(dropout)),
           Unit(hidden, 2 * hidden, k), torch.nn.Sequential(torch.nn.BatchNorm1d(2 * hidden), torch.nn.Dropout(dropout))]
    net = torch.nn.Module()
    net.op_list = torch.nn.ModuleList(ops)
    net.hid2val = torch.nn.Linear(2 * hidden, outputs)
    return net


def run(net, x):
    """The output list: every maxout unit's output (before BN/dropout), then the logits."""
    out, h = [], x
    for i, op in enumerate(net.op_list):
        h = op(h)
        if i % 2 == 0:
            out.append(h)
    out.append(net.hid2val(h))
    return out


def load_converter():
    spec = importlib.util.spec_from_file_location("convert", os.path.join(ROOT, "Scripts", "convert_torch_checkpoint.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    torch.manual_seed(7)
    d, hidden, outputs, k = 12, 8, 3, 4
    net = build(d, hidden, outputs, k, dropout=0.3)
    with torch.no_grad():
        for name, t in net.state_dict().items():
            if name.endswith("running_var"):
                t.copy_(0.5 + torch.rand(t.shape))
            elif name.endswith("running_mean") or name.endswith(".0.bias"):
                t.copy_(0.2 * torch.randn(t.shape))
            elif name.endswith(".0.weight"):
                t.copy_(1 + 0.2 * torch.randn(t.shape))
    state = {k: v.clone() for k, v in net.state_dict().items()}

    with tempfile.TemporaryDirectory() as tmp:
        original = os.path.join(tmp, "maxout.pth.tar")
        torch.save({"state_dict": {"module." + k: v for k, v in state.items()}, "epoch": 3}, original)
        converted = load_converter().convert(torch.load(original, weights_only=False)["state_dict"])
    save_file(converted, os.path.join(FIXTURES, "maxout.safetensors"))

    x = torch.randn(5, d)
    expected = {"input": x}
    net.eval()
    with torch.no_grad():
        for i, t in enumerate(run(net, x)):
            expected[f"eval.{i}"] = t

    twin = build(d, hidden, outputs, k, dropout=0.0)
    twin.load_state_dict(state)
    twin.train()
    outs = run(twin, x)
    cotangents = [torch.randn(t.shape) for t in outs]
    sum((t * c).sum() for t, c in zip(outs, cotangents)).backward()
    for i, (t, c) in enumerate(zip(outs, cotangents)):
        expected[f"train.{i}"] = t.detach()
        expected[f"cotangent.{i}"] = c
    for name, t in twin.state_dict().items():
        if "running" in name:
            expected[f"train.{name}"] = t
    for name, p in twin.named_parameters():
        expected[f"grad.{name}"] = p.grad
    save_file({k: v.contiguous() for k, v in expected.items()}, os.path.join(FIXTURES, "maxout_expected.safetensors"))
    print(sorted(converted))


if __name__ == "__main__":
    main()
