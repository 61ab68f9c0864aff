#!/usr/bin/env python3
"""Writes survival cases computed with pymoo to Tests/SearchEvolutionTests/Fixtures/.

    python3 Scripts/make_nsga2_fixtures.py                  # pymoo 0.6.2 -> nsga2_pymoo.json
    python3 -m venv /tmp/p04 && /tmp/p04/bin/pip install "numpy<2" pymoo==0.4.0
    /tmp/p04/bin/python Scripts/make_nsga2_fixtures.py      # pymoo 0.4.0 -> nsga2_pymoo040.json

Each case holds objective rows (2 or 3 objectives), n_survive, and pymoo's answers:
  * fronts      - the fronts in the order of pymoo's Python fast non-dominated sort (pymoo 0.4.0's only
                  sort, which the original uses; in 0.6 selected with an explicit Dominator);
  * crowding    - per front, pymoo's crowding distances (null = +infinity);
  * survivors   - the indices rank-and-crowding survival keeps, sorted (a set: pymoo 0.6's default sort
                  lists fronts in ascending index, so only the set is comparable).
With pymoo 0.6 the rows are continuous random values (no exact duplicates, since 0.6's "cd" no longer
filters them); with pymoo 0.4.0 — the original's version, with its duplicate filtering — they are small
integers, so duplicates, ties and constant objectives are frequent.
Only cases whose cut front has no crowding tie at the cut are kept ("without ties"), so the survivor
set does not depend on the random tie-breaking and must equal hnas's.
"""
import json
import os

import numpy as np

np.float, np.int = float, int  # pymoo 0.4.0 still uses the aliases removed in numpy 1.24
import pymoo  # noqa: E402

PYMOO_04 = pymoo.__version__.startswith("0.4")
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "Tests", "SearchEvolutionTests", "Fixtures")
OUT = os.path.join(FIXTURES, "nsga2_pymoo040.json" if PYMOO_04 else "nsga2_pymoo.json")

if PYMOO_04:
    from pymoo.algorithms.nsga2 import RankAndCrowdingSurvival, calc_crowding_distance
    from pymoo.model.population import Population
    from pymoo.model.problem import Problem
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    def crowding_of(F):
        return calc_crowding_distance(F)

    def sort_fronts(F):
        return NonDominatedSorting().do(F)

    def survivors_of(F, n_survive):
        np.random.seed(0)
        pop = Population(n_individuals=len(F))
        pop.set("F", F, "index", np.arange(len(F)))
        kept = RankAndCrowdingSurvival().do(Problem(n_var=1, n_obj=F.shape[1], n_constr=0), pop, n_survive)
        return kept.get("index")

    def draw(rng, n, m):
        F = rng.integers(0, 5, (n, m)).astype(float)
        if rng.random() < 0.3:
            F[:, rng.integers(0, m)] = 2.0  # a constant objective
        return F
else:
    from pymoo.core.population import Population
    from pymoo.core.problem import Problem
    from pymoo.operators.survival.rank_and_crowding import RankAndCrowding
    from pymoo.operators.survival.rank_and_crowding.metrics import get_crowding_function
    from pymoo.util.dominator import Dominator
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    def crowding_of(F):
        return get_crowding_function("cd").do(F)

    def sort_fronts(F):
        return NonDominatedSorting(method="fast_non_dominated_sort", dominator=Dominator()).do(F)

    def survivors_of(F, n_survive):
        pop = Population.new("F", F)
        return RankAndCrowding().do(Problem(n_var=1, n_obj=F.shape[1]), pop, n_survive=n_survive, return_indices=True,
                                    random_state=np.random.default_rng(0))

    def draw(rng, n, m):
        if rng.random() < 0.5:
            F = rng.random((n, m))
        else:  # correlated objectives: more, smaller fronts
            F = rng.random((n, 1)) + 0.3 * rng.random((n, m))
        F = np.round(F, 6)
        return F if len(np.unique(F, axis=0)) == n else None


def finite_or_none(x):
    return None if np.isinf(x) else float(x)


def main():
    rng = np.random.default_rng(20261127)
    cases = []
    while len(cases) < 60:
        n = int(rng.integers(4, 41))
        m = int(rng.choice([2, 3]))
        F = draw(rng, n, m)
        if F is None:
            continue
        n_survive = int(rng.integers(1, n + 1))
        fronts = [list(map(int, f)) for f in sort_fronts(F)]
        # The survivor set is tie-free iff the cut front's crowding has no tie at the cut.
        taken, tied = 0, False
        for front in fronts:
            if taken + len(front) > n_survive:
                cd = np.sort(crowding_of(F[front]))[::-1]
                need = n_survive - taken
                tied = cd[need - 1] == cd[need]
                break
            taken += len(front)
            if taken >= n_survive:
                break
        if tied:
            continue
        cases.append({
            "objectives": F.tolist(),
            "nSurvive": n_survive,
            "fronts": fronts,
            "crowding": [[finite_or_none(x) for x in crowding_of(F[f])] for f in fronts],
            "survivors": sorted(int(i) for i in survivors_of(F, n_survive)),
        })
    with open(OUT, "w") as f:
        json.dump({"generator": f"pymoo {pymoo.__version__} rank-and-crowding survival (Scripts/make_nsga2_fixtures.py)",
                   "cases": cases}, f)
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
