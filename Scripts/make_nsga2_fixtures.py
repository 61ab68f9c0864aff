#!/usr/bin/env python3
"""Writes Tests/SearchEvolutionTests/Fixtures/nsga2_pymoo.json: survival cases computed with pymoo.

Run with pymoo 0.6.2 (numpy >= 1.24): python3 Scripts/make_nsga2_fixtures.py

Each case holds random objective rows (2 or 3 objectives, continuous values, so no exact duplicates),
n_survive, and pymoo's answers:
  * fronts      - the fronts in the order of pymoo's Python fast non-dominated sort (the algorithm of
                  pymoo 0.4.0 that the original uses; selected with an explicit Dominator);
  * crowding    - per front, pymoo's "cd" crowding distances (null = +infinity);
  * survivors   - the indices `RankAndCrowding().do(..., n_survive)` keeps, sorted (a set: pymoo 0.6's
                  default sort lists fronts in ascending index, so only the set is comparable).
Only cases whose cut front has no crowding tie at the cut are kept ("without ties"), so the survivor
set does not depend on the random tie-breaking and must equal hnas's.
"""
import json
import os

import numpy as np
from pymoo.core.population import Population
from pymoo.core.problem import Problem
from pymoo.operators.survival.rank_and_crowding import RankAndCrowding
from pymoo.operators.survival.rank_and_crowding.metrics import get_crowding_function
from pymoo.util.dominator import Dominator
from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "SearchEvolutionTests", "Fixtures", "nsga2_pymoo.json")


def finite_or_none(x):
    return None if np.isinf(x) else float(x)


def main():
    rng = np.random.default_rng(20261127)
    crowding = get_crowding_function("cd")
    discovery_sort = NonDominatedSorting(method="fast_non_dominated_sort", dominator=Dominator())
    cases = []
    while len(cases) < 60:
        n = int(rng.integers(4, 41))
        m = int(rng.choice([2, 3]))
        if rng.random() < 0.5:
            F = rng.random((n, m))
        else:  # correlated objectives: more, smaller fronts
            base = rng.random((n, 1))
            F = base + 0.3 * rng.random((n, m))
        F = np.round(F, 6)
        if len(np.unique(F, axis=0)) < n:
            continue
        n_survive = int(rng.integers(1, n + 1))
        fronts = [list(map(int, f)) for f in discovery_sort.do(F)]
        # The survivor set is tie-free iff the cut front's crowding has no tie at the cut.
        taken, tied = 0, False
        for front in fronts:
            if taken + len(front) > n_survive:
                cd = np.sort(crowding.do(F[front]))[::-1]
                need = n_survive - taken
                tied = cd[need - 1] == cd[need]
                break
            taken += len(front)
            if taken >= n_survive:
                break
        if tied:
            continue
        problem = Problem(n_var=1, n_obj=m)
        pop = Population.new("F", F)
        survivors = RankAndCrowding().do(problem, pop, n_survive=n_survive, return_indices=True,
                                         random_state=np.random.default_rng(0))
        cases.append({
            "objectives": F.tolist(),
            "nSurvive": n_survive,
            "fronts": fronts,
            "crowding": [[finite_or_none(x) for x in crowding.do(F[f])] for f in fronts],
            "survivors": sorted(int(i) for i in survivors),
        })
    with open(OUT, "w") as f:
        json.dump({"generator": "pymoo 0.6.2 RankAndCrowding (Scripts/make_nsga2_fixtures.py)", "cases": cases}, f)
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
