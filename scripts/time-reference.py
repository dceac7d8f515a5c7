#!/usr/bin/env python3
"""Times the Python reference of the exchange model beside akkoord on the same input.

Usage:
    python3 -m venv .venv-ref && .venv-ref/bin/pip install decide-exchange-model
    .venv-ref/bin/python scripts/time-reference.py INPUT [--rounds 10] [--akkoord target/release/akkoord]
    .venv-ref/bin/python scripts/time-reference.py --generate ACTORS ISSUES OUT.csv

The reference is used as a black box through its package API: load the file, build an Equal
Gain model with deterministic ties, and time only its round loop (no observers' output, no
charts). akkoord is timed as a whole process (`run exchange --format csv`), the median of
repeated runs, so its figure includes start-up and reading the file.
"""

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time


def generate(actors: int, issues: int, out: str, seed: int = 20251129) -> None:
    """Writes a random Decide file: every actor on every issue, continuous values, quoted."""
    rng = random.Random(seed)
    with open(out, "w") as f:
        for a in range(actors):
            f.write(f"'#A'\t'A{a:03}'\t'A{a:03}'\t''\n")
        for d in range(issues):
            f.write(f"'#P'\t'I{d:03}'\t'I{d:03}'\t''\n'#M'\t'I{d:03}'\t0\n'#M'\t'I{d:03}'\t100\n")
        for a in range(actors):
            for d in range(issues):
                x = round(rng.uniform(0, 100), 1)
                s = round(rng.uniform(0.05, 1.0), 2)
                c = round(rng.uniform(0.01, 1.0), 3)
                f.write(f"'#D'\t'A{a:03}'\t'I{d:03}'\t{x}\t{s}\t{c}\n")


def time_reference(path: str, rounds: int) -> float:
    from decide.data.modelfactory import ModelFactory
    from decide.data.reader import InputDataFile
    from decide.model.equalgain import EqualGainModel
    from decide.model.observers.observer import Observable
    from decide.model.utils import ModelLoop

    EqualGainModel.ALLOW_RANDOM = False
    data = InputDataFile.open(path)
    model = ModelFactory(data)(EqualGainModel)
    with tempfile.TemporaryDirectory() as tmp:
        loop = ModelLoop(model, Observable(model, tmp), 0)
        start = time.perf_counter()
        for _ in range(rounds):
            loop.loop()
        return time.perf_counter() - start


def time_akkoord(binary: str, path: str, rounds: int, repeats: int = 21) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([binary, "run", "exchange", path, "--rounds", str(rounds), "--format", "csv"],
                       check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("input", nargs="?")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--akkoord", default="target/release/akkoord")
    parser.add_argument("--generate", nargs=3, metavar=("ACTORS", "ISSUES", "OUT"))
    args = parser.parse_args()
    if args.generate:
        generate(int(args.generate[0]), int(args.generate[1]), args.generate[2])
        return
    if not args.input:
        parser.error("give an input file")
    ours = time_akkoord(args.akkoord, args.input, args.rounds)
    reference = time_reference(args.input, args.rounds)
    print(f"{args.input}: {args.rounds} rounds: reference {reference:.3f} s (model loop), "
          f"akkoord {ours * 1000:.1f} ms (whole process), ratio {reference / ours:.0f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
