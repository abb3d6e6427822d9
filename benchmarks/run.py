"""Run every benchmark in this folder (each benchmark is a bench_*.py with a main())."""

import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

if __name__ == "__main__":
    for path in sorted(HERE.glob("bench_*.py")):
        print(f"== {path.stem}")
        importlib.import_module(f"benchmarks.{path.stem}").main()
