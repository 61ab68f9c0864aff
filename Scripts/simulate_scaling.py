#!/usr/bin/env python3
"""Scaling simulation for `--distributed mpi` (a simulation, not a measurement).

search:   replays the per-evaluation times of a real `hnas search` run (its log.txt: one line per
          backbone evaluation and per fusion search, each ending "(12.3 s)") on 1..64 workers, as
          hnas's TaskFarm schedules them: within a generation, the backbone evaluations form one
          batch and the fusion searches the next; each task goes, in request order, to the first
          worker that is free; a batch ends when its last task ends (the generation barrier).
          Rank-0 work between batches (selection, file writes) is --serial seconds per generation.
          Caches are replayed as logged (a config scored earlier costs nothing), which is optimistic
          for several processes: each process has its own cache.

training: models one data-parallel supernet training step on N processes from a measured
          one-process step time: compute/N, plus a ring all-reduce of the fused gradient buffer
          (2(N-1)/N * 4 * parameters bytes at --bandwidth, 2(N-1) * --latency), plus the
          synchronised-BatchNorm all-reduces (3 per BN layer per subnet pass, each ~2 log2(N) * latency); at most --batch processes.
          It ignores the lower kernel efficiency of small shards, so it is an upper bound on speed-up.

Examples:
  python3 Scripts/simulate_scaling.py search runs/avmnist/log.txt --serial 0.2
  python3 Scripts/simulate_scaling.py training --step-seconds 8.4 --parameters 9214103 --batch 16
"""
import argparse
import heapq
import math
import re
import sys

WORKERS = [1, 2, 4, 8, 16, 32, 64]
LINE = re.compile(r"\[generation (\d+)/\d+ · evaluation \d+\] (.*)\((\d+(?:\.\d+)?) s\)\s*$")


def read_log(path):
    """{generation: {"backbone": [seconds...], "fusion": [seconds...]}} in log order."""
    generations = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = LINE.search(line)
            if not m:
                continue
            phase = "fusion" if m.group(2).lstrip().startswith("fusion") else "backbone"
            generations.setdefault(int(m.group(1)), {"backbone": [], "fusion": []})[phase].append(float(m.group(3)))
    if not generations:
        sys.exit(f"error: {path}: no evaluation lines ('[generation g/N · evaluation k] … (S s)') found")
    return generations


def makespan(tasks, workers):
    """Tasks handed out in order, each to the worker that becomes free first."""
    free = [0.0] * workers
    heapq.heapify(free)
    end = 0.0
    for t in tasks:
        start = heapq.heappop(free)
        heapq.heappush(free, start + t)
        end = max(end, start + t)
    return end


def simulate_search(args):
    generations = read_log(args.log)
    tasks = sum(len(g["backbone"]) + len(g["fusion"]) for g in generations.values())
    print(f"# simulation: {len(generations)} generation(s), {tasks} logged evaluations from {args.log}, "
          f"serial rank-0 time {args.serial} s per generation")
    print("| workers | simulated search time | speed-up | efficiency | longest fusion batch / its longest task |")
    print("|---|---|---|---|---|")
    base = None
    for n in WORKERS:
        total, worst = 0.0, (0.0, 0.0)
        for g in generations.values():
            fusion = makespan(g["fusion"], n)
            total += makespan(g["backbone"], n) + fusion + args.serial
            if fusion > worst[0]:
                worst = (fusion, max(g["fusion"], default=0.0))
        base = base or total
        print(f"| {n} | {total:.1f} s | {base / total:.2f}× | {100 * base / total / n:.0f} % | {worst[0]:.1f} s / {worst[1]:.1f} s |")


def simulate_training(args):
    print(f"# simulation: one-process step {args.step_seconds} s, {args.parameters} parameters, {args.bn_layers} BN layers, "
          f"{args.passes} subnet passes per step, bandwidth {args.bandwidth / 1e9:g} GB/s, latency {args.latency * 1e6:g} µs")
    print("| processes | step time | speed-up | efficiency | all-reduce share |")
    print("|---|---|---|---|---|")
    for n in WORKERS:
        if args.batch and n > args.batch:
            print(f"| {n} | — | — | — | — (a global batch of {args.batch} has fewer samples than processes) |")
            continue
        if n == 1:
            comm = 0.0
        else:
            ring = 2 * (n - 1) / n * 4 * args.parameters / args.bandwidth + 2 * (n - 1) * args.latency
            bn = 3 * args.bn_layers * args.passes * 2 * math.ceil(math.log2(n)) * args.latency
            comm = ring + bn
        step = args.step_seconds / n + comm
        print(f"| {n} | {step:.3f} s | {args.step_seconds / step:.2f}× | {100 * args.step_seconds / step / n:.0f} % | {100 * comm / step:.0f} % |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("search", help="replay a search log's evaluation times")
    s.add_argument("log", help="log.txt of an hnas search run directory")
    s.add_argument("--serial", type=float, default=0.0, help="rank-0 seconds per generation outside the evaluations")
    t = sub.add_parser("training", help="model a data-parallel training step")
    t.add_argument("--step-seconds", type=float, required=True, help="measured one-process time of one training step (global batch)")
    t.add_argument("--parameters", type=int, required=True, help="supernet parameters (printed by train-supernet at start)")
    t.add_argument("--batch", type=int, help="global batch size (at most one process per sample)")
    t.add_argument("--bn-layers", type=int, default=60, help="BatchNorm layers passed per subnet")
    t.add_argument("--passes", type=int, default=3, help="subnet passes per step (sandwich: max + random + min = 3)")
    t.add_argument("--bandwidth", type=float, default=1.1e9, help="bytes/s between processes (10 GbE ≈ 1.1e9; one host ≈ 5e9)")
    t.add_argument("--latency", type=float, default=30e-6, help="seconds per message (TCP ≈ 30e-6; shared memory ≈ 1e-6)")
    args = parser.parse_args()
    simulate_search(args) if args.what == "search" else simulate_training(args)


if __name__ == "__main__":
    main()
