#!/usr/bin/env python3
"""Writes a random one-issue input for the expected-utility model (a BDM table), for timing.

    python3 scripts/gen-bdm.py ACTORS [SEED] > input.csv

Capabilities in 0.01..1, positions on 0..100 (two decimals) and saliences in 0.01..1, drawn
from Python's random with the seed (default 20251129). Synthetic data only.
"""

import random
import sys


def main() -> None:
    actors = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 20251129)
    print("actor,capability,position,salience")
    for a in range(actors):
        capability = round(0.01 + 0.99 * rng.random(), 4)
        position = round(100.0 * rng.random(), 2)
        salience = round(0.01 + 0.99 * rng.random(), 4)
        print(f"A{a:05},{capability},{position},{salience}")


if __name__ == "__main__":
    main()
