#!/usr/bin/env python3
"""PyTorch timing reference for `hnas bench fusion-step --compare-torch`.

Builds the searchable fusion supernet of SPEC-fusion sections 1.4-4 (projection layers on pooled
[B, c, L] features, S cells of T mixed inner steps over the six node operators, mixed edges,
LayerNorm/ReLU/Linear head) and times a weight step (forward, sqrt(CE), backward, Adam with L2 decay),
an architecture step (forward, CE, backward, Adam betas 0.5/0.999) and an eval-mode forward without
gradients. Prints one JSON object: milliseconds as min/median/max per measure.
Written from the specification for benchmarking only; hnas does not depend on it.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["Sum", "ScaleDotAttn", "LinearGLU", "ConcatFC", "SE1", "CatConvMish"]


class Op(nn.Module):
    def __init__(self, name, C, L, p):
        super().__init__()
        self.name = name
        if name == "ScaleDotAttn":
            self.ln = nn.LayerNorm([C, L])
            self.drop = nn.Dropout(0.1)
        elif name == "LinearGLU":
            self.conv = nn.Conv1d(2 * C, 2 * C, 1)
            self.bn = nn.BatchNorm1d(2 * C)
            self.drop = nn.Dropout(p)
        elif name in ("ConcatFC", "CatConvMish"):
            self.conv = nn.Conv1d(2 * C, C, 1)
            self.bn = nn.BatchNorm1d(C)
            self.drop = nn.Dropout(p)
        elif name == "SE1":
            self.fc = nn.Linear(C, C)

    def forward(self, x, y):
        n = self.name
        if n == "Sum":
            return x + y
        if n == "ScaleDotAttn":
            scores = torch.bmm(x.transpose(1, 2), y) / math.sqrt(x.shape[1])
            return self.ln(self.drop(torch.bmm(y, scores.softmax(-1).transpose(1, 2))))
        if n == "LinearGLU":
            return self.drop(F.glu(self.bn(self.conv(torch.cat([x, y], 1))), dim=1))
        if n == "ConcatFC":
            return self.drop(F.relu(self.bn(self.conv(torch.cat([x, y], 1)))))
        if n == "CatConvMish":
            return self.drop(F.mish(self.bn(self.conv(torch.cat([x, y], 1)))))
        gate = torch.sigmoid(F.relu(self.fc(x.mean(2))))
        return y * gate.unsqueeze(2)


class Cell(nn.Module):
    def __init__(self, T, C, L, p):
        super().__init__()
        self.T = T
        self.ops = nn.ModuleList(nn.ModuleList(Op(o, C, L, p) for o in OPS) for _ in range(T))
        self.ln = nn.LayerNorm([C, L])
        self.betas = 1e-3 * torch.randn(2 * T + T * (T - 1) // 2, 2)
        self.gammas = 1e-3 * torch.randn(T, len(OPS))
        self.betas.requires_grad_()
        self.gammas.requires_grad_()

    def forward(self, x, y):
        b = self.betas.softmax(-1)[:, 1]
        g = self.gammas.softmax(-1)
        inner = [x, y]
        for t in range(self.T):
            row = 2 * t + t * (t - 1) // 2
            v = sum(b[row + j] * h for j, h in enumerate(inner))
            inner.append(sum(g[t, k] * op(v, v) for k, op in enumerate(self.ops[t])))
        return self.ln(inner[-1] + x)


class Supernet(nn.Module):
    def __init__(self, channels, C, L, S, T, classes, p=0.1, M=2):
        super().__init__()
        self.N, self.S, self.M = len(channels), S, M
        self.reshape = nn.ModuleList(
            nn.Sequential(nn.Conv1d(c, C, 1), nn.BatchNorm1d(C), nn.ReLU(), nn.Dropout(p)) for c in channels)
        self.cells = nn.ModuleList(Cell(T, C, L, p) for _ in range(S))
        self.ln = nn.LayerNorm([M * C, L])
        self.fc = nn.Linear(M * C * L, classes)
        self.alpha = (1e-3 * torch.randn(S * self.N + S * (S - 1) // 2, 2)).requires_grad_()

    def arch(self):
        return [self.alpha] + [p for c in self.cells for p in (c.betas, c.gammas)]

    def forward(self, xs):
        states = [r(x) for r, x in zip(self.reshape, xs)]
        w = self.alpha.softmax(-1)[:, 1]
        for i, cell in enumerate(self.cells):
            row = i * self.N + i * (i - 1) // 2
            u = sum(w[row + j] * h for j, h in enumerate(states))
            states.append(cell(u, u))
        h = F.relu(self.ln(torch.cat(states[-self.M:], 1)))
        return self.fc(h.flatten(1))


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
