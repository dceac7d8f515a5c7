#!/usr/bin/env python3
"""Writes a random exchange-model input in the Decide format, for timing whole runs.

    python3 scripts/gen-exchange.py ACTORS ISSUES [SEED] > input.csv

Every actor has data on every issue: a position on 0..100 (one decimal), a power in
0.01..1 and a salience in 0.05..1, drawn from Python's random with the seed (default
20251129). The data are synthetic: nothing here comes from the reference.
"""

import random
import sys


def main() -> None:
    actors, issues = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20251129)
    out = sys.stdout
    for a in range(actors):
        out.write(f"'#A'\t'A{a:03}'\t'A{a:03}'\t''\n")
    for d in range(issues):
        out.write(f"'#P'\t'I{d:03}'\t'I{d:03}'\t'I{d:03}'\n")
        out.write(f"'#M'\t'I{d:03}'\t0\n")
        out.write(f"'#M'\t'I{d:03}'\t100\n")
    for a in range(actors):
        for d in range(issues):
            position = round(rng.random() * 100.0, 1)
            power = round(0.01 + 0.99 * rng.random(), 4)
            salience = round(0.05 + 0.95 * rng.random(), 4)
            out.write(f"'#D'\t'A{a:03}'\t'I{d:03}'\t{position}\t{power}\t{salience}\n")


if __name__ == "__main__":
    main()
