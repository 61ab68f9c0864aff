#!/usr/bin/env python3
"""The Harmonic-NAS fusion search restated in PyTorch from SPEC-fusion-search.md.

Two uses:
- `Scripts/make_fusion_goldens.py` imports the modules below to write the golden values hnas's
  SearchDARTS tests compare against (operators, cells, supernet, derived network, genotype
  derivation, hardware term, one DARTS iteration);
- run as a script, it is the PyTorch timing reference for `hnas bench fusion-step --compare-torch`:
  it times a weight step (forward, sqrt(CE), backward, Adam with L2 decay), an architecture step
  (forward, CE, backward, Adam betas 0.5/0.999) and an eval-mode forward without gradients and prints
  one JSON object: milliseconds as min/median/max per measure.

Module and attribute names follow hnas's state-dict names (`reshape_layers.<k>.conv.weight`,
`fusion_net.cells.<i>.node_ops.<t>.<Op>.bn.weight`, `head.classifier.weight`, ...), so a state dict
of these modules loads into hnas by name. The architecture parameters are plain tensors outside the
state dict, as in the original (SPEC section 2.3). Written from the specification; hnas does not
depend on it.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# STEP_STEP_PRIMITIVES: the order of gammas, of the genotype's operator names and of the cost vectors.
OPS = ["Sum", "ScaleDotAttn", "LinearGLU", "ConcatFC", "SE1", "CatConvMish"]


def mish(x):
    """x * tanh(softplus(x)), softplus returning x itself above 20 (PyTorch's default threshold)."""
    return x * torch.tanh(F.softplus(x))


class Op(nn.Module):
    """One node operator (SPEC 3.2-3.8), mapping x, y of [B, C, L] to [B, C, L]."""

    def __init__(self, name, C, L, p):
        super().__init__()
        self.name = name
        if name == "ScaleDotAttn":
            self.ln = nn.LayerNorm([C, L])
            self.dropout = nn.Dropout(0.1)  # fixed, not drpt (SPEC 10.17)
        elif name == "LinearGLU":
            self.conv = nn.Conv1d(2 * C, 2 * C, 1)
            self.bn = nn.BatchNorm1d(2 * C)
            self.dropout = nn.Dropout(p)
        elif name in ("ConcatFC", "CatConvMish"):
            self.conv = nn.Conv1d(2 * C, C, 1)
            self.bn = nn.BatchNorm1d(C)
            self.dropout = nn.Dropout(p)
        elif name in ("SE1", "SE2"):
            self.fc = nn.Linear(C, C)
        elif name != "Sum":
            raise ValueError(f"unknown fusion operator {name}")

    def forward(self, x, y):
        n = self.name
        if n == "Sum":
            return x + y
        if n == "ScaleDotAttn":
            # S[b,i,j] = sum_c x[b,c,i] y[b,c,j] / sqrt(C); A = softmax_j; O[b,c,i] = sum_j A[b,i,j] y[b,c,j]
            scores = torch.einsum("bci,bcj->bij", x, y) / math.sqrt(x.shape[1])
            out = torch.einsum("bij,bcj->bci", scores.softmax(-1), y)
            return self.ln(self.dropout(out))
        if n == "LinearGLU":
            z = self.bn(self.conv(torch.cat([x, y], 1)))
            C = x.shape[1]
            return self.dropout(z[:, :C] * torch.sigmoid(z[:, C:]))
        if n == "ConcatFC":
            return self.dropout(F.relu(self.bn(self.conv(torch.cat([x, y], 1)))))
        if n == "CatConvMish":
            return self.dropout(mish(self.bn(self.conv(torch.cat([x, y], 1)))))
        squeezed, excited = (x, y) if n == "SE1" else (y, x)  # SE1 squeezes x and rescales y; SE2 the reverse
        gate = torch.sigmoid(F.relu(self.fc(squeezed.mean(2))))
        return excited * gate.unsqueeze(2)


def mixed(weights, states):
    """sum_j (w[j, none]·0·h_j + w[j, skip]·h_j) with the 'none' term dropped: identical for finite
    h (the original's 0·h only differs by propagating NaN/Inf, SPEC 10.22)."""
    return sum(weights[j, 1] * h for j, h in enumerate(states))


def inner_row(t):
    """First row of betas for inner step t: 2t + t(t-1)/2."""
    return 2 * t + t * (t - 1) // 2


def edge_row(i, N):
    """First row of alpha_edges for cell i: i·N + i(i-1)/2."""
    return i * N + i * (i - 1) // 2


class SearchCell(nn.Module):
    """FusionNode + NodeCell at search time (SPEC 2.2): T mixed inner steps, LayerNorm(o_{T-1} + x)."""

    def __init__(self, T, C, L, p):
        super().__init__()
        self.T = T
        self.node_ops = nn.ModuleList(nn.ModuleDict({o: Op(o, C, L, p) for o in OPS}) for _ in range(T))
        self.ln = nn.LayerNorm([C, L])
        self.betas = (1e-3 * torch.randn(2 * T + T * (T - 1) // 2, 2)).requires_grad_()
        self.gammas = (1e-3 * torch.randn(T, len(OPS))).requires_grad_()

    def forward(self, x, y):
        b = self.betas.softmax(-1)
        g = self.gammas.softmax(-1)
        inner = [x, y]
        for t in range(self.T):
            v = mixed(b[inner_row(t):], inner)
            inner.append(sum(g[t, k] * self.node_ops[t][o](v, v) for k, o in enumerate(OPS)))
        return self.ln(inner[-1] + x)


class Reshape(nn.Module):
    """Projection of one pooled input node (SPEC 1.4 step 4): Dropout(ReLU(BN(Conv1d_{c->C}(a))))."""

    def __init__(self, c, C, p):
        super().__init__()
        self.conv = nn.Conv1d(c, C, 1)
        self.bn = nn.BatchNorm1d(C)
        self.dropout = nn.Dropout(p)

    def forward(self, x):
        return self.dropout(F.relu(self.bn(self.conv(x))))


class Head(nn.Module):
    """Output and classifier (SPEC 4.2-4.3): Linear(flatten(ReLU(LayerNorm_[M·C, L](concat_ch(states)))))."""

    def __init__(self, M, C, L, classes):
        super().__init__()
        self.ln = nn.LayerNorm([M * C, L])
        self.classifier = nn.Linear(M * C * L, classes)

    def forward(self, states):
        return self.classifier(F.relu(self.ln(torch.cat(states, 1))).flatten(1))


class Supernet(nn.Module):
    """The searchable fusion network on pooled features [B, c_k, L] (SPEC 2.1, 4.2)."""

    def __init__(self, channels, C, L, S, T, classes, p=0.1, M=2):
        super().__init__()
        self.N, self.S, self.M = len(channels), S, M
        self.reshape_layers = nn.ModuleList(Reshape(c, C, p) for c in channels)
        self.fusion_net = nn.Module()
        self.fusion_net.cells = nn.ModuleList(SearchCell(T, C, L, p) for _ in range(S))
        self.head = Head(M, C, L, classes)
        self.alpha_edges = (1e-3 * torch.randn(S * self.N + S * (S - 1) // 2, 2)).requires_grad_()

    def named_arch(self):
        """The architecture tensors in the original's order, under the names the goldens use."""
        named = [("alpha_edges", self.alpha_edges)]
        for i, c in enumerate(self.fusion_net.cells):
            named += [(f"fusion_net.cells.{i}.betas", c.betas), (f"fusion_net.cells.{i}.gammas", c.gammas)]
        return named

    def arch(self):
        return [t for _, t in self.named_arch()]

    def forward(self, xs):
        states = [r(x) for r, x in zip(self.reshape_layers, xs)]
        w = self.alpha_edges.softmax(-1)
        for i, cell in enumerate(self.fusion_net.cells):
            u = mixed(w[edge_row(i, self.N):], states)
            states.append(cell(u, u))  # the same mixed tensor twice (SPEC 10.1)
        return self.head(states[-self.M:])


class DerivedCell(nn.Module):
    """A derived cell (SPEC 6.5): o_t = Op_t(inner[e_2t], inner[e_2t+1]); LayerNorm(o_{T-1} + a)."""

    def __init__(self, step, C, L, p):
        super().__init__()
        self.edges = [j for _, j in step["inner_edges"]]
        self.node_ops = nn.ModuleList(nn.ModuleDict({o: Op(o, C, L, p)}) for o in step["inner_steps"])
        self.ln = nn.LayerNorm([C, L])

    def forward(self, a, b):
        inner = [a, b]
        for t, ops in enumerate(self.node_ops):
            (op,) = ops.values()
            inner.append(op(inner[self.edges[2 * t]], inner[self.edges[2 * t + 1]]))
        return self.ln(inner[-1] + a)


class DerivedNet(nn.Module):
    """The discrete network of a genotype (dict with edges, steps, concat as in SPEC 6.1)."""

    def __init__(self, genotype, channels, C, L, classes, p=0.1):
        super().__init__()
        self.genotype = genotype
        self.reshape_layers = nn.ModuleList(Reshape(c, C, p) for c in channels)
        self.fusion_net = nn.Module()
        self.fusion_net.cells = nn.ModuleList(DerivedCell(s, C, L, p) for s in genotype["steps"])
        self.head = Head(len(genotype["concat"]), C, L, classes)

    def forward(self, xs):
        states = [r(x) for r, x in zip(self.reshape_layers, xs)]
        edges = [j for _, j in self.genotype["edges"]]
        for i, cell in enumerate(self.fusion_net.cells):
            states.append(cell(states[edges[2 * i]], states[edges[2 * i + 1]]))
        return self.head([states[c] for c in self.genotype["concat"]])


def timed(fn, warmup, iters):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iters):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
    return {"min": min(samples), "median": statistics.median(samples), "max": max(samples)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--channels", default="16,16,24,24,16,16,24,24")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--node-steps", type=int, default=1)
    parser.add_argument("--C", type=int, default=192)
    parser.add_argument("--L", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--iters", type=int, default=5)
    a = parser.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    channels = [int(c) for c in a.channels.split(",")]
    net = Supernet(channels, a.C, a.L, a.steps, a.node_steps, a.classes)
    xs = [torch.randn(a.batch, c, a.L) for c in channels]
    y = torch.randint(0, a.classes, (a.batch,))
    w_opt = torch.optim.Adam(net.parameters(), lr=1e-4, weight_decay=1e-4)
    a_opt = torch.optim.Adam(net.arch(), lr=3e-4, betas=(0.5, 0.999), weight_decay=1e-3)

    def weight_step():
        net.train()
        w_opt.zero_grad()
        F.cross_entropy(net(xs), y).sqrt().backward()
        w_opt.step()

    def arch_step():
        net.train()
        a_opt.zero_grad()
        F.cross_entropy(net(xs), y).backward()
        a_opt.step()

    def infer():
        net.eval()
        with torch.no_grad():
            net(xs)
        net.train()

    print(json.dumps({
        "torch": torch.__version__, "threads": a.threads,
        "weights": sum(p.numel() for p in net.parameters()),
        "weight_step_ms": timed(weight_step, a.warmup, a.iters),
        "arch_step_ms": timed(arch_step, a.warmup, a.iters),
        "infer_ms": timed(infer, a.warmup, a.iters),
    }))


if __name__ == "__main__":
    main()
