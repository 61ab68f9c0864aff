#!/usr/bin/env python3
"""Reference outputs of a small Maxout text backbone (SPEC-backbone §3) for hnas's tests.

Builds, with plain torch modules under Harmonic-NAS's state-dict names (`op_list.<i>.lin.*`,
`op_list.<i>.0.*` for BatchNorm1d, `hid2val.*`), a network with 12 input features, first hidden 8,
2 blocks, factor 2, 4 pieces and 3 outputs; random weights and BN statistics; and saves the weights
plus an input batch and the eval-mode output list [maxout0, maxout1, logits] to
Tests/ModalityTextTests/Fixtures/maxout.safetensors.
"""
import os

import torch
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Unit(torch.nn.Module):
    def __init__(self, d, m, k):
        super().__init__()
        self.m, self.k = m, k
        self.lin = torch.nn.Linear(d, m * k)

    def forward(self, x):
        return self.lin(x).reshape(x.shape[0], self.m, self.k).amax(dim=2)


def main():
    torch.manual_seed(7)
    d, hidden, outputs, k = 12, 8, 3, 4
    ops = [Unit(d, hidden, k), torch.nn.Sequential(torch.nn.BatchNorm1d(hidden), torch.nn.Dropout(0.3)),
           Unit(hidden, 2 * hidden, k), torch.nn.Sequential(torch.nn.BatchNorm1d(2 * hidden), torch.nn.Dropout(0.3))]
    net = torch.nn.Module()
    net.op_list = torch.nn.ModuleList(ops)
    net.hid2val = torch.nn.Linear(2 * hidden, outputs)
    with torch.no_grad():
        for name, t in net.state_dict().items():
            if name.endswith("running_var"):
                t.copy_(0.5 + torch.rand(t.shape))
            elif name.endswith("running_mean") or name.endswith(".0.bias"):
                t.copy_(0.2 * torch.randn(t.shape))
            elif name.endswith(".0.weight"):
                t.copy_(1 + 0.2 * torch.randn(t.shape))
    net.eval()
    x = torch.randn(5, d)
    out, h = [], x
    with torch.no_grad():
        for i, op in enumerate(net.op_list):
            h = op(h)
            if i % 2 == 0:
                out.append(h)
        out.append(net.hid2val(h))
    tensors = {k: v.contiguous() for k, v in net.state_dict().items()}
    tensors.update({"input": x, "expected.0": out[0], "expected.1": out[1], "expected.2": out[2]})
    path = os.path.join(ROOT, "Tests", "ModalityTextTests", "Fixtures", "maxout.safetensors")
    save_file(tensors, path)
    print(path, sorted(k for k in tensors if not k.startswith(("input", "expected"))))


if __name__ == "__main__":
    main()
