#!/usr/bin/env python3
"""Measure edgartools' Form 3/4/5 parse throughput on our ownership fixtures.

Reads every file in fixtures/edgar/ownership/ once, extracts the
<ownershipDocument> text (between <XML> and </XML>, else the whole file), then
times only ``edgar.ownership.Ownership.from_xml(xml)`` over all 41 documents,
repeating whole passes until at least --seconds have elapsed (after one
untimed warm-up pass). File reading and wrapper extraction are not timed.

The per-owner entity lookup is stubbed exactly as in reference.py (returns
"not found" instantly, no network), so the figure is pure parsing plus
edgartools' placeholder-entity construction.

Run on one core:  taskset -c 0 python3 tools/edgartools/bench.py
"""
import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402  (installs the network guard before edgartools loads)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="minimum timed duration (default 5)")
    args = ap.parse_args()

    Ownership, version = _common.load_edgartools()
    docs = [(p.name, _common.extract_xml(_common.read_text(p))) for p in _common.ownership_files()]
    n_docs = len(docs)

    # warm-up pass (imports, lazy caches); also make sure every document parses
    for name, xml in docs:
        Ownership.from_xml(xml)

    passes = 0
    pass_times = []
    cpu_start = time.thread_time()
    t_start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        for _name, xml in docs:
            Ownership.from_xml(xml)
        t1 = time.perf_counter()
        pass_times.append(t1 - t0)
        passes += 1
        if t1 - t_start >= args.seconds:
            break
    elapsed = time.perf_counter() - t_start
    cpu = time.thread_time() - cpu_start

    import lxml.etree
    import pandas
    total = passes * n_docs
    try:
        import os
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = "n/a"
    print(f"edgartools {version} (python {platform.python_version()}, pandas {pandas.__version__}, "
          f"lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))}); cpu affinity {cpus}")
    print(f"{n_docs} filings x {passes} passes = {total} parses in {elapsed:.3f} s")
    print(f"throughput: {total / elapsed:.1f} filings/s "
          f"(best pass {n_docs / min(pass_times):.1f} filings/s; {1e3 * elapsed / total:.3f} ms/filing)")
    # CPU time of this thread: robust when other work shares the machine.
    print(f"cpu-time throughput: {total / cpu:.1f} filings per CPU-second ({cpu:.3f} s of CPU)")
    _common.report_network(sys.stdout)


if __name__ == "__main__":
    main()
