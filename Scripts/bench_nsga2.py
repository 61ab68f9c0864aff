#!/usr/bin/env python3
"""Times non-dominated sorting + crowding distance of all fronts, hnas vs pymoo, on the same points.

    swift build -c release --product hnas
    python3 Scripts/bench_nsga2.py [--points 10000] [--objectives 3] [--repeats 5] [--hnas .build/release/hnas]

Writes the random points (uniform in [0,1), seeded) to a temporary CSV, runs `hnas pareto FILE --benchmark R`
and then pymoo (its default NonDominatedSorting plus the "cd" crowding of every front) R times in the same
process run, and prints both medians and the ratio pymoo / hnas.
"""
import argparse
import os
import re
import subprocess
import tempfile
import time

import numpy as np
import pymoo
from pymoo.operators.survival.rank_and_crowding.metrics import get_crowding_function
from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10000)
    parser.add_argument("--objectives", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hnas", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "hnas"))
    args = parser.parse_args()

    F = np.random.default_rng(args.seed).random((args.points, args.objectives))
    names = [f"f{j + 1}" for j in range(args.objectives)]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "points.csv")
        with open(path, "w") as f:
            f.write(",".join(names) + "\n")
            for row in F:
                f.write(",".join(repr(float(x)) for x in row) + "\n")
        out = subprocess.run([args.hnas, "pareto", path, "--objectives", ",".join(names), "--benchmark", str(args.repeats)],
                             check=True, capture_output=True, text=True).stdout
    print(out.strip())
    hnas_median = float(re.search(r"median_s=([0-9.eE+-]+)", out).group(1))
    hnas_fronts = int(re.search(r"fronts=(\d+)", out).group(1))

    nds, crowding = NonDominatedSorting(), get_crowding_function("cd")
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        fronts = nds.do(F)
        for front in fronts:
            crowding.do(F[front])
        times.append(time.perf_counter() - start)
    times.sort()
    pymoo_median = times[len(times) // 2]
    assert len(fronts) == hnas_fronts, f"front counts differ: pymoo {len(fronts)}, hnas {hnas_fronts}"
    print(f"pymoo {pymoo.__version__}: points={args.points} objectives={args.objectives} fronts={len(fronts)} "
          f"repeats={args.repeats} median_s={pymoo_median} min_s={times[0]}")
    print(f"ratio pymoo / hnas (median): {pymoo_median / hnas_median:.2f}")


if __name__ == "__main__":
    main()
