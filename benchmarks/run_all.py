"""Run every benchmark at 1 and 2 threads (or those given) and write one results file.

    python benchmarks/run_all.py [--threads 1 2] [--only bench_ucnn ...] [--out FILE]

Each benchmark prints its tables as it runs; every row (the port, its loop form, PyTorch,
Octave where they are at hand) goes into ``benchmarks/results.json`` with the date, the
machine (processor, cores, load average before and after), the versions (Python, numpy,
scipy, BLAS, PyTorch) and the arguments, written atomically. The documentation's benchmarks
page is made from that file.
"""

import argparse
import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

import timing  # first: it puts this checkout first on sys.path

from ufldl_py.atomic import atomic_write

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["bench_ucnn", "bench_dlt_cnn", "bench_dlt_nn", "bench_dlt_cae", "bench_rica",
              "bench_sparseae"]


def _machine() -> dict:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"processor": model, "cores": os.cpu_count(), "system": platform.platform()}


def _versions() -> dict:
    import numpy
    import scipy
    from threadpoolctl import threadpool_info

    versions = {"python": platform.python_version(), "numpy": numpy.__version__,
                "scipy": scipy.__version__}
    for lib in threadpool_info():
        if lib["user_api"] == "blas":
            where = Path(lib["filepath"]).parent.name  # numpy.libs, scipy.libs: one each
            versions[f"blas ({where})"] = (f"{lib['internal_api']} {lib['version']} "
                                           f"{lib.get('architecture') or ''}").strip()
    try:
        import torch
        versions["torch"] = torch.__version__
    except ImportError:
        versions["torch"] = "not installed"
    return versions


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=BENCHMARKS)
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    rows = []
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    for name in args.only:
        bench = importlib.import_module(name)
        for threads in args.threads:
            print(f"\n== {name} --threads {threads}", flush=True)
            timing.RESULTS.clear()
            bench.main(["--threads", str(threads)])
            rows.extend({"benchmark": name, "threads_asked": threads, **row}
                        for row in timing.RESULTS)
    results = {"date": started, "machine": dict(_machine(), load_average_before=load_before,
                                                load_average_after=os.getloadavg()),
               "versions": _versions(), "arguments": {"threads": args.threads},
               "rows": rows}
    with atomic_write(args.out, "w") as f:
        json.dump(results, f, indent=1)
    print(f"\n{len(rows)} rows written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
