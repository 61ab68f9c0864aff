#!/usr/bin/env python3
"""Golden values for hnas's fusion-search tests (Tests/SearchDARTSTests/*GoldenTests.swift).

Every value comes from the PyTorch restatement of the original's formulas in
`Scripts/fusion_search_reference.py` (SPEC-fusion-search.md), at small sizes (C = 6, L = 4, three
input nodes of 3/5/4 channels, 3 classes) with fixed seeds. Weights are PyTorch's default init with
BatchNorm/LayerNorm affine parameters and BatchNorm running statistics randomised, so every term
matters; dropout is off (its masks come from a different generator in hnas) while BatchNorm stays
in training mode. State-dict names are hnas's, so the tests load weights by name.

Each experiment runs in float64 (the golden values, stored as float32) and again in float32; the
script fails unless the float32 run agrees with float64 within the tolerances the Swift tests use,
so the goldens are well-conditioned for a float32 implementation with another summation order.

Writes to Tests/SearchDARTSTests/Fixtures/:
  fusion_operators.safetensors  per operator <Op> (the six searched ones and SE2), x != y [3, 6, 4]:
      <Op>.state.*              weights and BN statistics
      <Op>.x, <Op>.y            inputs; <Op>.eval: eval-mode output (running statistics)
      <Op>.out                  train-mode output (batch statistics); <Op>.cotangent
      <Op>.grad.x|y|<param>     gradients of sum(out * cotangent); <Op>.after.<buffer>: BN statistics after
  fusion_networks.safetensors   search cell (T = 2), supernet (S = 2, T = 2; and S = 1, T = 1),
                                the supernet's derived genotype and its derived network, adaptive pooling:
      cell.state.*, cell.betas|gammas|u|out|cotangent, cell.grad.u|betas|gammas|<param>
      net.state.*, net.alpha_edges, net.fusion_net.cells.<i>.betas|gammas, net.x.<k>, net.labels (float),
      net.eval (eval logits), net.logits, net.loss (train mode), net.bce (multi-label loss of net.logits
      against net.targets, MM-IMDB's criterion), net.grad.<param or arch name>,
      net.after.<buffer>; net1.* the same forward values for S = 1 (its head concatenates the last input node)
      derived.state.*, derived.eval, derived.logits; metadata `net.genotype`: the genotype of net's α
      pool.<k>.in, pool.<k>.out: AdaptiveMaxPool2d((4, 4)) then flatten, for 4-D, 3-D and 2-D features
  fusion_genotypes.safetensors  genotype derivation cases <case> (random, ties, unused, exhausted):
      <case>.alpha_edges, <case>.fusion_net.cells.<i>.betas|gammas; metadata <case>: the original's
      genotype string, or `IndexError` where it crashes, and <case>.fallback: hnas's documented fallback
  fusion_darts_step.safetensors two first-order DARTS iterations from the same start (`start.state.*`,
      `start.<arch name>`, train batch `train.x.<k>`/`train.labels`, test batch `test.*`, the weight
      steps' rates `weight_rates`): after iteration <it> = 1, 2: <protocol>.<it>.weight_loss,
      <protocol>.<it>.arch_loss, <protocol>.<it>.after.<param, arch name or buffer>;
      <protocol>.weight_grad.<arch name>: what the first weight step's backward left on the architecture;
      for protocol `original` (weight loss sqrt(CE) + sqrt(lat_n) + sqrt(enrg_n), TX2 constants; arch
      loss CE) and `sound` (hnas: weight loss sqrt(CE); arch loss CE + 0.1·(sqrt(lat_n) + sqrt(enrg_n))
      normalised by the table's own range);
      hardware term on hw.gammas.<i> [2, 6] and hw.sum_gammas.<i> (Sum-dominated):
      hw.<table>_<protocol>.value|lat_n|enrg_n|grad.<i>  (table tx2/agx; AGX `original` on Sum-dominated
      gammas gives lat_n < 0, whose square root is NaN in the original)
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fusion_search_reference as ref  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "SearchDARTSTests", "Fixtures")

C, L, CLASSES = 6, 4, 3
CHANNELS = [3, 5, 4]
# Tolerances shared with Tests/SearchDARTSTests/Golden.swift: a value |a - b| <= RTOL * max|b| + ATOL; a gradient
# |a - b| <= RTOL * max|b| + GRAD_ATOL * G, G the largest gradient of the same experiment (gradients
# that are zero in exact arithmetic, e.g. a conv bias before train-mode BatchNorm, are float noise of
# the scale of their neighbours); Adam steps' displacement from the start within STEP_RTOL of the
# summed learning rates plus STEP_ULPS·|start| (two float32 roundings of the parameter itself).
RTOL, ATOL, GRAD_ATOL, STEP_RTOL, STEP_ULPS = 1e-4, 1e-6, 1e-5, 1e-3, 2.4e-7
W_LR, W_WD, A_LR, A_WD, A_BETAS, HW_WEIGHT = 1e-4, 1e-4, 3e-4, 1e-3, (0.5, 0.999), 0.1
SCHEDULE_SAMPLES, SCHEDULE_BATCH = 1050, 256  # AV-MNIST: nbpe = 4.1015625

# SPEC-fusion 7.2 fusion tables (lat ms, enrg mJ), by operator name.
TABLES = {
    "tx2": {"Sum": (0.05961958312988281, 0.2972280216217041), "ScaleDotAttn": (0.503509765625, 0.7008619723320008),
            "LinearGLU": (0.525704345703125, 1.2057952156066896), "ConcatFC": (0.522191650390625, 1.0212752623558043),
            "SE1": (0.43621600341796873, 0.6815053911209107), "CatConvMish": (0.6174259033203126, 1.1336467642784118)},
    "agx": {"Sum": (0.04459584045410156, 1.3032420431518552), "ScaleDotAttn": (0.40466009521484375, 2.116570729553223),
            "LinearGLU": (0.530171142578125, 3.3142969234619133), "ConcatFC": (0.520685302734375, 2.859610641967773),
            "SE1": (0.328786865234375, 2.0390042999877944), "CatConvMish": (0.5728431396484375, 3.0241563737487818)},
}
# The original's hard-coded TX2 Sum / CatConvMish normalisers (SPEC 7.3).
ORIGINAL_RANGE = ((0.05961958312988281, 0.6174259033203126), (0.2972280216217041, 1.1336467642784118))


# ---------------------------------------------------------------- building blocks

def no_dropout(module):
    for m in module.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0


def randomise(module, generator):
    """Random BN/LN affine parameters and BN running statistics (defaults would hide them). Conv
    biases are pushed to |b| >= 0.1: before train-mode BatchNorm their gradient is zero up to float
    noise, so an Adam step's direction is set by the L2 term wd·b, which must dominate that noise."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, torch.nn.Conv1d):
                m.bias.copy_(m.bias.sign() * (0.1 + m.bias.abs()))
            if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.LayerNorm)):
                m.weight.copy_(1 + 0.3 * torch.randn(m.weight.shape, generator=generator))
                m.bias.copy_(0.3 * torch.randn(m.bias.shape, generator=generator))
            if isinstance(m, torch.nn.BatchNorm1d):
                m.running_mean.copy_(0.2 * torch.randn(m.running_mean.shape, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=generator))


def instance(build, state, dtype):
    """A fresh module from `build()` holding `state`, converted to `dtype`, dropout off."""
    module = build()
    module.load_state_dict(state)
    no_dropout(module)
    return module.to(dtype)


def leaf(t, dtype):
    return t.detach().to(dtype).clone().requires_grad_()


def set_arch(net, arch, dtype):
    """Replaces the supernet's architecture tensors by `arch` (name -> float32 tensor)."""
    net.alpha_edges = leaf(arch["alpha_edges"], dtype)
    for i, cell in enumerate(net.fusion_net.cells):
        cell.betas = leaf(arch[f"fusion_net.cells.{i}.betas"], dtype)
        cell.gammas = leaf(arch[f"fusion_net.cells.{i}.gammas"], dtype)


def buffers(module, prefix):
    return {f"{prefix}{n}": b.detach().clone() for n, b in module.named_buffers() if "running" in n}


def prefixed(state, prefix):
    return {prefix + k: v for k, v in state.items()}


def compare(got32, gold64, label, steps=None):
    """Fails unless every float32 value agrees with float64 within the Swift tests' tolerances.
    `steps` maps a key of an Adam result to (start value, learning rate): compared as displacements."""
    def largest(t):
        return t.abs().max().item() if t.numel() else 0.0
    gradient_scale = max([largest(v) for k, v in gold64.items() if ".grad." in k] or [0.0])
    for key, gold in gold64.items():
        if not torch.is_floating_point(gold):
            continue
        got, gold = got32[key].double(), gold.double()
        if steps and key in steps:
            start, lr = steps[key]
            excess = ((got - gold).abs() - STEP_ULPS * start.double().abs()).max().item()
            error, bound = max(excess, 0.0), STEP_RTOL * lr
        else:
            error = largest(got - gold)
            bound = RTOL * largest(gold) + (GRAD_ATOL * gradient_scale if ".grad." in key else ATOL)
        if not error <= bound:
            raise SystemExit(f"{label}: {key} float32 differs from float64 by {error:.3g} > {bound:.3g}; "
                             "the golden would be ill-conditioned")


def twice(experiment, label, steps=None):
    """Runs experiment(dtype) in float64 and float32, checks them, returns the float64 values as float32."""
    gold = experiment(torch.float64)
    compare(experiment(torch.float32), gold, label, steps)
    return {k: (v.float() if torch.is_floating_point(v) else v).contiguous() for k, v in gold.items()}


# ---------------------------------------------------------------- operators

def operators():
    out = {}
    for k, name in enumerate(ref.OPS + ["SE2"]):
        torch.manual_seed(100 + k)
        generator = torch.Generator().manual_seed(200 + k)
        op = ref.Op(name, C, L, 0.1)
        randomise(op, generator)
        state = {n: v.clone() for n, v in op.state_dict().items()}
        x, y = torch.randn(3, C, L, generator=generator), torch.randn(3, C, L, generator=generator)
        cotangent = torch.randn(3, C, L, generator=generator)

        def experiment(dtype):
            module = instance(lambda: ref.Op(name, C, L, 0.1), state, dtype)
            module.eval()
            with torch.no_grad():
                values = {f"{name}.eval": module(x.to(dtype), y.to(dtype))}
            module.train()
            xl, yl = leaf(x, dtype), leaf(y, dtype)
            result = module(xl, yl)
            (result * cotangent.to(dtype)).sum().backward()
            values[f"{name}.out"] = result.detach()
            values[f"{name}.grad.x"], values[f"{name}.grad.y"] = xl.grad, yl.grad
            values.update({f"{name}.grad.{n}": p.grad for n, p in module.named_parameters()})
            values.update(buffers(module, f"{name}.after."))
            return values

        out.update(twice(experiment, name))
        out.update(prefixed(state, f"{name}.state."))
        out.update({f"{name}.x": x, f"{name}.y": y, f"{name}.cotangent": cotangent})
    return out


# ---------------------------------------------------------------- genotype derivation (SPEC 6.2-6.3)

def derive(alpha, cells, N, M=2, fallback=False):
    """The original's derivation on float32 softmax weights; returns the genotype dict. A cell without
    an admissible pair raises IndexError as the original does, unless `fallback` (hnas's rule: the
    best pair without the 'unused' condition)."""
    W = alpha.float().softmax(-1).numpy()
    S = len(cells)
    used, edges = set(), []
    for i in range(S):
        Wi = W[ref.edge_row(i, N):]
        pairs = [(Wi[j, 1] * Wi[k, 1], j, k) for j in range(N) for k in range(j + 1, N)]
        admissible = [p for p in pairs if p[1] not in used or p[2] not in used]
        if not admissible:
            if not fallback:
                raise IndexError(f"cell {i}: no admissible pair")
            admissible = pairs
        _, j, k = sorted(admissible, key=lambda p: -p[0])[0]  # stable: the earliest pair on ties
        edges += [("skip", j), ("skip", k)]
        used |= {j, k}
    steps = []
    for betas, gammas in cells:
        Wb, Wg = betas.float().softmax(-1).numpy(), gammas.float().softmax(-1).numpy()
        T = Wg.shape[0]
        inner = []
        for t in range(T):
            row = ref.inner_row(t)
            ranked = sorted(range(t + 2), key=lambda j: -Wb[row + j, 1])[:2]
            inner += [("skip", j) for j in ranked]
        steps.append({"inner_edges": inner, "inner_steps": [ref.OPS[int(np.argmax(r))] for r in Wg],
                      "inner_concat": [T + 1]})
    return {"edges": edges, "steps": steps, "concat": list(range(N + S - M, N + S))}


def genotype_repr(g):
    """The original's named-tuple repr (SPEC 6.1)."""
    def pairs(edges):
        return "[" + ", ".join(f"('{op}', {j})" for op, j in edges) + "]"
    steps = ", ".join(f"StepGenotype(inner_edges={pairs(s['inner_edges'])}, inner_steps={s['inner_steps']!r}, "
                      f"inner_concat={s['inner_concat']})" for s in g["steps"])
    return f"Genotype(edges={pairs(g['edges'])}, steps=[{steps}], concat={g['concat']})"


def logits_rows(rows):
    """Edge logits with 'none' at 0 and the given 'skip' logits."""
    return torch.tensor([[0.0, s] for s in rows])


def genotype_cases():
    """(name, N, alpha, [(betas, gammas)]) cases; a random one plus constructed ties and rules."""
    g = torch.Generator().manual_seed(31)
    N, S, T = 4, 3, 3
    random_case = ("random", N, 1.5 * torch.randn(S * N + S * (S - 1) // 2, 2, generator=g),
                   [(1.5 * torch.randn(2 * T + T * (T - 1) // 2, 2, generator=g), 1.5 * torch.randn(T, 6, generator=g))
                    for _ in range(S)])
    # Ties: cell 0 nodes 1 and 2 share the top weight -> (1, 2); cell 1: (0, 1), (0, 3), (1, 3) tie and
    # all are admissible -> the earliest, (0, 1). Inner step 0 ties -> [0, 1]; step 1 ties 1 and 2 ahead
    # of 0 -> [1, 2]; operators tie ScaleDotAttn / LinearGLU -> the first.
    ties = ("ties", 4, torch.cat([logits_rows([0, 1, 1, 0.5]), logits_rows([1, 1, 0, 1, 3])]),
            [(logits_rows([0.3, 0.3, 0.1, 0.7, 0.7]), torch.tensor([[0.0, 2, 2, 0, 0, 0], [1, 0, 0, 0, 0, 1]]))] * 2)
    # The 'unused' rule: cell 1's best product is (0, 1) again, both used -> the best admissible pair, (1, 3).
    unused = ("unused", 4, torch.cat([logits_rows([2, 2, 0, 0]), logits_rows([2, 2.5, 0, 1, 0])]),
              [(logits_rows([0.5, 0.0]), torch.tensor([[0.0, 0, 0, 0, 1, 0]]))] * 2)
    # Cells 0 and 1 take all four input nodes; cell 2 has no admissible pair (the original crashes).
    exhausted = ("exhausted", 4, torch.cat([logits_rows([2, 2, 0, 0]), logits_rows([0, 0, 2, 2, 0]),
                                            logits_rows([1, 0, 0, 2, 0, 0])]),
                 [(logits_rows([0.0, 0.5]), torch.tensor([[0.0, 0, 0, 1, 0, 0]]))] * 3)
    return [random_case, ties, unused, exhausted]


def check_margins(alpha, cells, N, label):
    """Random cases must not be near a tie: derivation in float64 picks the same genotype."""
    g32 = derive(alpha, cells, N)
    g64 = derive(alpha.double(), [(b.double(), c.double()) for b, c in cells], N)
    if g32 != g64:
        raise SystemExit(f"{label}: float32 and float64 derivations differ; pick another seed")
    return g32


def genotypes():
    tensors, metadata = {}, {}
    for name, N, alpha, cells in genotype_cases():
        tensors[f"{name}.alpha_edges"] = alpha
        for i, (betas, gammas) in enumerate(cells):
            tensors[f"{name}.fusion_net.cells.{i}.betas"] = betas
            tensors[f"{name}.fusion_net.cells.{i}.gammas"] = gammas
        try:
            metadata[name] = genotype_repr(check_margins(alpha, cells, N, name) if name == "random" else derive(alpha, cells, N))
        except IndexError:
            metadata[name] = "IndexError"
            metadata[f"{name}.fallback"] = genotype_repr(derive(alpha, cells, N, fallback=True))
    expected = {"ties": "Genotype(edges=[('skip', 1), ('skip', 2), ('skip', 0), ('skip', 1)]",
                "unused": "Genotype(edges=[('skip', 0), ('skip', 1), ('skip', 1), ('skip', 3)]"}
    for name, start in expected.items():
        assert metadata[name].startswith(start), (name, metadata[name])
    assert "inner_edges=[('skip', 0), ('skip', 1), ('skip', 1), ('skip', 2)], inner_steps=['ScaleDotAttn', 'Sum']" in metadata["ties"]
    assert metadata["exhausted"] == "IndexError"
    return {k: v.clone().contiguous() for k, v in tensors.items()}, metadata


# ---------------------------------------------------------------- networks

def random_inputs(generator, batch):
    return [torch.randn(batch, c, L, generator=generator) for c in CHANNELS]


def network_forward(prefix, build, state, arch, xs, labels, with_gradients, targets=None):
    """Eval logits, then train-mode logits, CE, the multi-label BCE against `targets` (if given) and
    (optionally) every gradient of CE and BN statistics."""
    def experiment(dtype):
        net = instance(build, state, dtype)
        if arch is not None:
            set_arch(net, arch, dtype)
        x = [t.to(dtype) for t in xs]
        net.eval()
        with torch.no_grad():
            values = {f"{prefix}.eval": net(x)}
        net.train()
        logits = net(x)
        loss = F.cross_entropy(logits, labels)
        values[f"{prefix}.logits"], values[f"{prefix}.loss"] = logits.detach(), loss.detach()
        if targets is not None:
            values[f"{prefix}.bce"] = F.binary_cross_entropy_with_logits(logits.detach(), targets.to(dtype))
        if with_gradients:
            loss.backward()
            values.update({f"{prefix}.grad.{n}": p.grad for n, p in net.named_parameters()})
            if arch is not None:
                values.update({f"{prefix}.grad.{n}": t.grad for n, t in net.named_arch()})
        values.update(buffers(net, f"{prefix}.after."))
        return values
    return twice(experiment, prefix)


def networks():
    out, metadata = {}, {}
    g = torch.Generator().manual_seed(41)

    # A search cell with T = 2 on u (called as cell(u, u)), random betas/gammas.
    torch.manual_seed(40)
    cell = ref.SearchCell(2, C, L, 0.1)
    randomise(cell, g)
    state = {n: v.clone() for n, v in cell.state_dict().items()}
    betas, gammas = torch.randn(5, 2, generator=g), torch.randn(2, 6, generator=g)
    u, cotangent = torch.randn(4, C, L, generator=g), torch.randn(4, C, L, generator=g)

    def cell_experiment(dtype):
        module = instance(lambda: ref.SearchCell(2, C, L, 0.1), state, dtype)
        module.betas, module.gammas = leaf(betas, dtype), leaf(gammas, dtype)
        ul = leaf(u, dtype)
        result = module(ul, ul)
        (result * cotangent.to(dtype)).sum().backward()
        values = {"cell.out": result.detach(), "cell.grad.u": ul.grad, "cell.grad.betas": module.betas.grad,
                  "cell.grad.gammas": module.gammas.grad}
        values.update({f"cell.grad.{n}": p.grad for n, p in module.named_parameters()})
        return values

    out.update(twice(cell_experiment, "cell"))
    out.update(prefixed(state, "cell.state."))
    out.update({"cell.betas": betas, "cell.gammas": gammas, "cell.u": u, "cell.cotangent": cotangent})

    # The supernet S = 2, T = 2 with random architecture weights, and S = 1, T = 1.
    for prefix, S, T, seed in [("net", 2, 2, 42), ("net1", 1, 1, 43)]:
        torch.manual_seed(seed)

        def build(S=S, T=T):
            return ref.Supernet(CHANNELS, C, L, S, T, CLASSES)

        net = build()
        randomise(net, g)
        state = {n: v.clone() for n, v in net.state_dict().items()}
        arch = {n: torch.randn(t.shape, generator=g) for n, t in net.named_arch()}
        xs, labels = random_inputs(g, 5), torch.randint(0, CLASSES, (5,), generator=g)
        targets = torch.randint(0, 2, (5, CLASSES), generator=g).float()
        out.update(network_forward(prefix, build, state, arch, xs, labels, with_gradients=prefix == "net", targets=targets))
        out[f"{prefix}.targets"] = targets
        out.update(prefixed(state, f"{prefix}.state."))
        out.update(prefixed(arch, f"{prefix}."))
        out.update({f"{prefix}.x.{k}": x for k, x in enumerate(xs)})
        out[f"{prefix}.labels"] = labels.float()
        if prefix == "net":
            cells = [(arch[f"fusion_net.cells.{i}.betas"], arch[f"fusion_net.cells.{i}.gammas"]) for i in range(S)]
            genotype = check_margins(arch["alpha_edges"], cells, len(CHANNELS), "net genotype")
            metadata["net.genotype"] = genotype_repr(genotype)

    # The derived network of that genotype, own random weights, the supernet's inputs.
    torch.manual_seed(44)

    def build_derived():
        return ref.DerivedNet(genotype, CHANNELS, C, L, CLASSES)

    derived = build_derived()
    randomise(derived, g)
    state = {n: v.clone() for n, v in derived.state_dict().items()}
    xs = [out[f"net.x.{k}"] for k in range(len(CHANNELS))]
    labels = out["net.labels"].long()
    values = network_forward("derived", build_derived, state, None, xs, labels, with_gradients=False)
    out.update({k: v for k, v in values.items() if not k.startswith("derived.after.")})
    out.update(prefixed(state, "derived.state."))

    # Adaptive max pooling to 4 x 4 (L = 16) of backbone features: windows overlap for 7, 5, 6; 1 x 1 replicated.
    for k, shape in enumerate([(2, 3, 7, 7), (2, 2, 5, 5), (2, 2, 14, 14), (2, 3, 6), (2, 3)]):
        feature = torch.randn(shape, generator=g)
        four = feature.reshape(shape + (1,) * (4 - len(shape)))
        out[f"pool.{k}.in"] = feature
        out[f"pool.{k}.out"] = F.adaptive_max_pool2d(four, (4, 4)).flatten(2)
    return {k: v.contiguous() for k, v in out.items()}, metadata


# ---------------------------------------------------------------- hardware term and DARTS iteration

def hardware_term(gammas, table, protocol):
    """sqrt(lat_n) + sqrt(enrg_n) (SPEC 7.3). `original`: TX2 normalisers whatever the table, no clamp
    (a negative lat_n gives NaN). `sound` (hnas): the table's own min/max over the six operators."""
    dtype = gammas[0].dtype
    lat = torch.tensor([TABLES[table][o][0] for o in ref.OPS], dtype=dtype)
    en = torch.tensor([TABLES[table][o][1] for o in ref.OPS], dtype=dtype)
    steps = sum(g.shape[0] for g in gammas)
    if protocol == "original":
        (lat_lo, lat_hi), (en_lo, en_hi) = ORIGINAL_RANGE
    else:
        (lat_lo, lat_hi), (en_lo, en_hi) = (min(lat).item(), max(lat).item()), (min(en).item(), max(en).item())
    expected_lat = sum((g.softmax(-1) * lat).sum() for g in gammas)
    expected_en = sum((g.softmax(-1) * en).sum() for g in gammas)
    lat_n = (expected_lat - steps * lat_lo) / (steps * lat_hi - steps * lat_lo)
    en_n = (expected_en - steps * en_lo) / (steps * en_hi - steps * en_lo)
    return lat_n.sqrt() + en_n.sqrt(), lat_n, en_n


def hardware():
    out = {}
    g = torch.Generator().manual_seed(51)
    gammas = [torch.randn(2, 6, generator=g) for _ in range(2)]
    sum_gammas = [torch.tensor([[8.0, 0, 0, 0, 0, 0], [7.0, 0, 0, 0, 1, 0]]) for _ in range(2)]
    for k, (gm, sg) in enumerate(zip(gammas, sum_gammas)):
        out[f"hw.gammas.{k}"], out[f"hw.sum_gammas.{k}"] = gm, sg
    for table in ["tx2", "agx"]:
        for protocol in ["original", "sound"]:
            for source, name in [(gammas, f"hw.{table}_{protocol}"), (sum_gammas, f"hw.{table}_{protocol}_sum")]:
                def experiment(dtype):
                    leaves = [leaf(t, dtype) for t in source]
                    value, lat_n, en_n = hardware_term(leaves, table, protocol)
                    values = {f"{name}.lat_n": lat_n.detach(), f"{name}.enrg_n": en_n.detach()}
                    if torch.isfinite(value):
                        value.backward()
                        values[f"{name}.value"] = value.detach()
                        values.update({f"{name}.grad.{i}": t.grad for i, t in enumerate(leaves)})
                    return values
                out.update(twice(experiment, name))
    assert out["hw.agx_original_sum.lat_n"] < 0 and "hw.agx_original_sum.value" not in out
    return out


def warm_restart_rates(samples, batch_size, count, eta_max=W_LR, eta_min=1e-6):
    """The original's per-batch weight rates (SPEC 5.2): float nbpe, restart only when eta <= eta_min + 1e-10."""
    nbpe, k, period, rates = samples / batch_size, 0.0, 1.0, []
    for _ in range(count):
        current = k / nbpe
        k += 1
        eta = eta_min + 0.5 * (eta_max - eta_min) * (1 + math.cos(math.pi * current / period))
        if eta <= eta_min + 1e-10:
            k, period = 0.0, period * 2
        rates.append(eta)
    return rates


def darts_step():
    """Two first-order DARTS iterations (weight step on the train batch, then architecture step on
    the test batch; twice, so the second Adam step exercises betas and weight decay). The weight
    rates are the schedule's first two for AV-MNIST's 1050 samples at batch 256 (SPEC 5.2)."""
    out = {}
    g = torch.Generator().manual_seed(61)
    torch.manual_seed(60)

    def build():
        return ref.Supernet(CHANNELS, C, L, 2, 2, CLASSES)

    net = build()
    randomise(net, g)
    state = {n: v.clone() for n, v in net.state_dict().items()}
    arch = {n: t.detach().clone() for n, t in net.named_arch()}  # the original's 1e-3·N(0,1) draw
    train_x, train_y = random_inputs(g, 6), torch.randint(0, CLASSES, (6,), generator=g)
    test_x, test_y = random_inputs(g, 4), torch.randint(0, CLASSES, (4,), generator=g)
    rates = warm_restart_rates(SCHEDULE_SAMPLES, SCHEDULE_BATCH, 2)
    out.update(prefixed(state, "start.state."))
    out.update(prefixed(arch, "start."))
    out.update({f"train.x.{k}": x for k, x in enumerate(train_x)})
    out.update({f"test.x.{k}": x for k, x in enumerate(test_x)})
    out["train.labels"], out["test.labels"] = train_y.float(), test_y.float()
    out["weight_rates"] = torch.tensor(rates)

    for protocol in ["original", "sound"]:
        def experiment(dtype):
            net = instance(build, state, dtype)
            set_arch(net, arch, dtype)
            net.train()
            gammas = [c.gammas for c in net.fusion_net.cells]
            weights = torch.optim.Adam(net.parameters(), lr=W_LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=W_WD)
            architecture = torch.optim.Adam(net.arch(), lr=A_LR, betas=A_BETAS, eps=1e-8, weight_decay=A_WD)
            values = {}
            for it, rate in enumerate(rates, start=1):
                # Weight step (train phase): sqrt(CE) plus, in the original, the hardware term (no weight gradient).
                weights.zero_grad()
                loss = F.cross_entropy(net([x.to(dtype) for x in train_x]), train_y).sqrt()
                if protocol == "original":
                    loss = loss + hardware_term(gammas, "tx2", "original")[0]
                for group in weights.param_groups:
                    group["lr"] = rate
                loss.backward()
                weights.step()
                values[f"{protocol}.{it}.weight_loss"] = loss.detach()
                if it == 1:
                    values.update({f"{protocol}.weight_grad.{n}": t.grad.clone() for n, t in net.named_arch()})
                # Architecture step (test phase): clear the architecture gradients; CE (+ hnas's sound hardware term).
                architecture.zero_grad()
                loss_a = F.cross_entropy(net([x.to(dtype) for x in test_x]), test_y)
                if protocol == "sound":
                    loss_a = loss_a + HW_WEIGHT * hardware_term(gammas, "tx2", "sound")[0]
                loss_a.backward()
                architecture.step()
                values[f"{protocol}.{it}.arch_loss"] = loss_a.detach()
                values.update({f"{protocol}.{it}.after.{n}": p.detach().clone() for n, p in net.named_parameters()})
                values.update({f"{protocol}.{it}.after.{n}": t.detach().clone() for n, t in net.named_arch()})
                values.update(buffers(net, f"{protocol}.{it}.after."))
            return values

        steps = {}
        for it in (1, 2):
            steps.update({f"{protocol}.{it}.after.{n}": (state[n], sum(rates[:it])) for n, _ in net.named_parameters()})
            steps.update({f"{protocol}.{it}.after.{n}": (arch[n], it * A_LR) for n in arch})
        out.update(twice(experiment, protocol, steps))
    return {k: v.contiguous() for k, v in out.items()}


def main():
    torch.use_deterministic_algorithms(True)
    os.makedirs(FIXTURES, exist_ok=True)
    save_file(operators(), os.path.join(FIXTURES, "fusion_operators.safetensors"))
    tensors, metadata = networks()
    save_file(tensors, os.path.join(FIXTURES, "fusion_networks.safetensors"), metadata=metadata)
    tensors, metadata = genotypes()
    save_file(tensors, os.path.join(FIXTURES, "fusion_genotypes.safetensors"), metadata=metadata)
    save_file({**hardware(), **darts_step()}, os.path.join(FIXTURES, "fusion_darts_step.safetensors"))
    for name in sorted(os.listdir(FIXTURES)):
        print(f"{name}: {os.path.getsize(os.path.join(FIXTURES, name))} bytes")


if __name__ == "__main__":
    main()
