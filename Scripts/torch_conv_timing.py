#!/usr/bin/env python3
"""PyTorch CPU yardstick for `hnas bench gemm --compare-torch`.

Reads a JSON list of convolution shapes on stdin, each
  {"in": C_in, "out": C_out, "height": H, "width": W, "k": k, "stride": s, "groups": g, "bias": bool}
(padding k // 2, NCHW, float32), and times PyTorch's kernels on each at the given batch and thread
count: the forward (F.conv2d) and the two backward passes autograd runs
(aten.convolution_backward with only the input, or only the weight gradient requested).
Prints one JSON object: {"torch": version, "threads": n, "layers": [{"forward_ms": {"min", "median"},
"backward_input_ms": {...}, "backward_weight_ms": {...}}, ...]} in the input order.

With --clock thread, times are the calling thread's CPU time (time.thread_time), steadier on a
loaded machine and meaningful with --threads 1 (PyTorch then computes on the calling thread).

Usage: python3 Scripts/torch_conv_timing.py --batch 256 --threads 2 [--repeats 10] [--clock wall|thread] < shapes.json
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F


CLOCKS = {"wall": time.perf_counter, "thread": time.thread_time}


def timed(fn, repeats, clock):
    fn()
    fn()
    samples = []
    for _ in range(repeats):
        start = clock()
        fn()
        samples.append((clock() - start) * 1000.0)
    return {"min": min(samples), "median": statistics.median(samples)}


def time_layer(shape, batch, repeats, clock):
    cin, cout, k, stride, groups = shape["in"], shape["out"], shape["k"], shape["stride"], shape["groups"]
    x = torch.randn(batch, cin, shape["height"], shape["width"])
    w = torch.randn(cout, cin // groups, k, k)
    b = torch.randn(cout) if shape.get("bias", False) else None
    pad = k // 2
    y = F.conv2d(x, w, b, stride, pad, 1, groups)
    dy = torch.randn_like(y)
    bias_sizes = [cout] if b is not None else None

    def backward(mask):
        return torch.ops.aten.convolution_backward(
            dy, x, w, bias_sizes, [stride, stride], [pad, pad], [1, 1], False, [0, 0], groups, mask)

    with torch.no_grad():
        return {
            "forward_ms": timed(lambda: F.conv2d(x, w, b, stride, pad, 1, groups), repeats, clock),
            "backward_input_ms": timed(lambda: backward([True, False, False]), repeats, clock),
            "backward_weight_ms": timed(lambda: backward([False, True, b is not None]), repeats, clock),
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    args = parser.parse_args()
    if args.clock == "thread" and args.threads != 1:
        parser.error("--clock thread needs --threads 1")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    shapes = json.load(sys.stdin)
    layers = [time_layer(shape, args.batch, args.repeats, CLOCKS[args.clock]) for shape in shapes]
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "clock": args.clock, "layers": layers}))


if __name__ == "__main__":
    main()
