#!/usr/bin/env python3
"""Reference outputs of once-for-all's OFAMobileNetV3 for hnas's supernet tests.

Writes Tests/HNASKitTests/Fixtures/ofa/:
  avmnist.safetensors   the AV-MNIST supernet (1x28x28, one stage of width 24, no SE) built with the
                        `ofa` package's classes (the standard network cut to its first stage, with
                        Harmonic-NAS's first-conv/classifier surgery), random weights, non-identity
                        kernel matrices, random BN statistics; saved as an original-style checkpoint
                        (`module.` prefixes) and converted by Scripts/convert_torch_checkpoint.py.
  avmnist_expected.safetensors  inputs (28x28 and 20x20), the eval-mode output lists of several active
                        subnets, and logits after BN recalibration of an extracted subnet on two batches.
  w12_expected.safetensors  the standard width-1.2 network (the MM-IMDB image supernet, 23 classes,
                        no dropout) on 3x32x32 inputs; its weights are NOT stored: every tensor is filled
                        by `formula_value` below, which the Swift test reproduces by name.
  fixture.json          the configs, and the w1.2 network's state-dict names and shapes.

The `ofa` package imports torchvision for its data loaders at package import; torchvision is not
needed for the networks, so a stub module is installed when it is missing.
Usage: pip install --no-deps ofa; python3 Scripts/make_ofa_fixture.py
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import types

import torch
from safetensors.torch import save_file

try:
    import torchvision  # noqa: F401
except ImportError:
    tv, tr = types.ModuleType("torchvision"), types.ModuleType("torchvision.transforms")
    tr.RandomResizedCrop, tr.functional = object, types.ModuleType("torchvision.transforms.functional")
    tv.transforms, tv.datasets = tr, types.ModuleType("torchvision.datasets")
    sys.modules.update({"torchvision": tv, "torchvision.transforms": tr,
                        "torchvision.transforms.functional": tr.functional, "torchvision.datasets": tv.datasets})

from ofa.imagenet_classification.elastic_nn.networks import OFAMobileNetV3  # noqa: E402
from ofa.utils.layers import ConvLayer, LinearLayer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "HNASKitTests", "Fixtures", "ofa")


def supernet(width, classes, dropout):
    return OFAMobileNetV3(n_classes=classes, dropout_rate=dropout, width_mult=width,
                          ks_list=[3, 5, 7], expand_ratio_list=[3, 4, 6], depth_list=[2, 3, 4])


def avmnist_supernet():
    """Harmonic-NAS's `_type='avmnist'` network: the standard one cut after its first stage."""
    net = supernet(1.0, 10, 0.2)
    net.first_conv = ConvLayer(1, 16, kernel_size=3, stride=2, act_func="h_swish")
    net.blocks = net.blocks[:5]
    net.block_group_info = [[1, 2, 3, 4]]
    net.runtime_depth = [4]
    net.final_expand_layer = ConvLayer(24, 40, kernel_size=1, act_func="h_swish")
    net.feature_mix_layer = ConvLayer(40, 80, kernel_size=1, bias=False, use_bn=False, act_func="h_swish")
    net.classifier = LinearLayer(80, 10, dropout_rate=0.2)
    return net


def randomise(net, gen):
    with torch.no_grad():
        for name, t in net.state_dict().items():
            if name.endswith("num_batches_tracked"):
                t.fill_(7)
            elif name.endswith("running_var"):
                t.copy_(0.5 + torch.rand(t.shape, generator=gen))
            elif name.endswith("running_mean") or t.dim() == 1:
                t.copy_(0.1 * torch.randn(t.shape, generator=gen) + (1.0 if name.endswith("bn.weight") else 0.0))
            elif name.endswith("_matrix"):
                t.copy_(torch.eye(t.shape[0]) + 0.15 * torch.randn(t.shape, generator=gen))
            else:
                t.copy_(torch.randn(t.shape, generator=gen) * math.sqrt(2.0 / t[0].numel()))


def formula_value(name, index, shape):
    """Deterministic weights: tensor number `index` in sorted-name order, element j (row-major)."""
    n = math.prod(shape)
    base = torch.sin(0.7 * torch.arange(n, dtype=torch.float64) + 1.9 * index + 0.3)
    if name.endswith("num_batches_tracked"):
        return torch.zeros(shape, dtype=torch.int64)
    if name.endswith("running_var"):
        v = 1.0 + 0.3 * base
    elif name.endswith("running_mean"):
        v = 0.1 * base
    elif name.endswith("_matrix"):
        v = torch.eye(shape[0], dtype=torch.float64).flatten() + 0.1 * base
    elif name == "classifier.linear.bias":
        v = 0.0 * base  # so the logits are all network, not bias
    elif len(shape) == 1:
        v = (1.0 if name.endswith("bn.weight") else 0.0) + 0.1 * base
    else:
        v = base * math.sqrt(3.0 / (n // shape[0]))
    return v.to(torch.float32).reshape(shape)


def output_list(net, x):
    """The subnet output list of SPEC-backbone §4.1 computed on the elastic network."""
    out = [net.first_conv(x)]
    out.append(net.blocks[0](out[-1]))
    for stage, indices in enumerate(net.block_group_info):
        for i in indices[:net.runtime_depth[stage]]:
            out.append(net.blocks[i](out[-1]))
    h = net.final_expand_layer(out[-1]).mean(3, keepdim=True).mean(2, keepdim=True)
    out.append(net.classifier(net.feature_mix_layer(h).view(x.shape[0], -1)))
    assert torch.allclose(out[-1], net(x), atol=1e-5)
    return out


def activate(net, config):
    net.set_active_subnet(ks=config["ks"], e=config["e"], d=config["d"])


def recalibrated_logits(net, batches, x):
    """SPEC-backbone §5.2 on the extracted subnet, then eval-mode logits on x."""
    sub = net.get_active_subnet(preserve_weight=True)
    sub.eval()
    for m in sub.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.train()
            m.momentum = None
            m.reset_running_stats()
    for b in batches:
        sub(b)
    sub.eval()
    return sub(x), sub.blocks[1].conv.depth_conv.bn.running_var.clone()


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(2026)
    torch.set_grad_enabled(False)
    fixture = {}

    # AV-MNIST: random weights, through an original-style checkpoint and the converter.
    net = avmnist_supernet().eval()
    randomise(net, gen)
    with tempfile.TemporaryDirectory() as tmp:
        ckpt = os.path.join(tmp, "supernet_avmnist_image.pth.tar")
        torch.save({"epoch": 0, "state_dict": {"module." + k: v for k, v in net.state_dict().items()}}, ckpt)
        subprocess.run([sys.executable, os.path.join(ROOT, "Scripts", "convert_torch_checkpoint.py"), ckpt,
                        os.path.join(OUT, "avmnist.safetensors")], check=True)
    configs = [
        {"ks": [7, 7, 7, 7], "e": [6, 6, 6, 6], "d": [4]},
        {"ks": [3, 3, 3, 3], "e": [3, 3, 3, 3], "d": [2]},
        {"ks": [5, 3, 7, 5], "e": [4, 6, 3, 4], "d": [3]},
        {"ks": [3, 5, 3, 7], "e": [6, 3, 4, 6], "d": [4]},
    ]
    fixture["avmnist_configs"] = configs
    expected = {"image": torch.randn(3, 1, 28, 28, generator=gen), "audio": torch.randn(2, 1, 20, 20, generator=gen)}
    for c, config in enumerate(configs):
        activate(net, config)
        for key in ("image", "audio"):
            for i, t in enumerate(output_list(net, expected[key])):
                expected[f"{key}.config{c}.out{i}"] = t
    batches = [torch.randn(4, 1, 28, 28, generator=gen) * 2 + 0.5 for _ in range(2)]
    activate(net, configs[2])
    logits, var = recalibrated_logits(net, batches, expected["image"])
    expected.update({"recal.batch0": batches[0], "recal.batch1": batches[1], "recal.logits": logits,
                     "recal.blocks.1.depth_conv.bn.running_var": var})
    save_file({k: v.contiguous() for k, v in expected.items()}, os.path.join(OUT, "avmnist_expected.safetensors"))

    # Width 1.2 (MM-IMDB image supernet): formula weights, expected outputs only.
    big = supernet(1.2, 1000, 0)
    big.classifier.linear = torch.nn.Linear(1536, 23)
    big.eval()
    names = sorted(big.state_dict().keys())
    shapes = {k: list(v.shape) for k, v in big.state_dict().items()}
    big.load_state_dict({k: formula_value(k, i, shapes[k]) for i, k in enumerate(names)})
    fixture["w12_state_dict"] = [[k, shapes[k]] for k in names]
    w12 = [
        {"ks": [7] * 20, "e": [6] * 20, "d": [4] * 5},
        {"ks": [3] * 20, "e": [3] * 20, "d": [2] * 5},
    ]
    r = torch.Generator().manual_seed(5)
    for _ in range(2):
        w12.append({"ks": [[3, 5, 7][int(torch.randint(3, (1,), generator=r))] for _ in range(20)],
                    "e": [[3, 4, 6][int(torch.randint(3, (1,), generator=r))] for _ in range(20)],
                    "d": [[2, 3, 4][int(torch.randint(3, (1,), generator=r))] for _ in range(5)]})
    fixture["w12_configs"] = w12
    x = torch.randn(2, 3, 32, 32, generator=gen)
    out = {"input": x}
    for c, config in enumerate(w12):
        activate(big, config)
        out[f"config{c}.logits"] = big(x)
        print(f"w1.2 config {c}: max |logit| {out[f'config{c}.logits'].abs().max():.3g}")
    save_file(out, os.path.join(OUT, "w12_expected.safetensors"))
    with open(os.path.join(OUT, "fixture.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
