"""Storage benchmark (issue #2 item 11): the encrypted store against a plain SQLite file.

Both stores are made by ``Store.create(path, key)`` — a random 32-byte data key for the
SQLCipher store, ``None`` for the plain file — so both run through the same engine, connect
listener, migrations and services. The Argon2id unlock is not part of the workload (no key
slots are made; the data key is what an unlock would return).

Workload (see ``store_workload.py``): write and sign 50,000 journal entries for 200 clients,
one care-worker transaction per entry, one client getting 5,000 of them; open that client's
newest 50; search all entries with FTS5. The two variants run interleaved (chunks of entries,
then alternating repetitions), so background load on the machine hits both alike.

Run: ``.venv/bin/python bench/store.py [--entries N --clients N --focus N --reps N] [--quick]``
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import queue
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from care_texts import QUERIES  # noqa: E402
from store_workload import (  # noqa: E402
    BenchWorld,
    build_world,
    open_timeline,
    plan_entries,
    search_all,
    write_entries,
)

from carebook.model.db import KEY_BYTES  # noqa: E402
from carebook.model.store import Store  # noqa: E402

T = TypeVar("T")
VARIANTS = ("encrypted", "plain")
RATIO_TARGET, TIMELINE_MS, SEARCH_MS = 1.3, 20.0, 50.0
CHUNK = 250  # entries per variant before switching to the other
WARMUP = 2


@dataclass
class Figures:
    """What one variant measured."""

    insert_seconds: float = 0.0
    insert_cpu_seconds: float = 0.0  # this process's CPU time: robust against other load
    entries: int = 0
    setup_seconds: float = 0.0
    timeline_ms: list[float] = field(default_factory=list)
    timeline_cpu_ms: list[float] = field(default_factory=list)
    search_cpu_ms: list[float] = field(default_factory=list)
    search_ms: dict[str, list[float]] = field(default_factory=dict)
    search_hits: dict[str, int] = field(default_factory=dict)
    file_mb: float = 0.0

    @property
    def all_search_ms(self) -> list[float]:
        return [ms for samples in self.search_ms.values() for ms in samples]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def p95(samples: Sequence[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def _timed_ms(call: Callable[[BenchWorld, str], T] | Callable[[BenchWorld], T],
              *args: Any) -> tuple[float, float, T]:
    """Wall-clock and CPU milliseconds of one call, and its result."""
    start, cpu = time.perf_counter(), time.process_time()
    result = call(*args)
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000, result


def _open_worlds(folder: Path, clients: int, figures: dict[str, Figures]
                 ) -> dict[str, BenchWorld]:
    worlds = {}
    for name in figures:
        key = os.urandom(KEY_BYTES) if name == "encrypted" else None
        start = time.perf_counter()
        worlds[name] = build_world(Store.create(folder / f"{name}.db", key),
                                   clients_count=clients)
        figures[name].setup_seconds = time.perf_counter() - start
    return worlds


def _turns(names: Sequence[str], n: int) -> Sequence[str]:
    """The variants in alternating order, so neither always goes first."""
    return names if n % 2 == 0 else names[::-1]


def _insert(worlds: dict[str, BenchWorld], figures: dict[str, Figures],
            args: argparse.Namespace) -> None:
    planned = plan_entries(entries=args.entries, clients_count=args.clients, focus=args.focus)
    names, done, next_report = list(worlds), 0, 0.1
    for n, first in enumerate(range(0, len(planned), CHUNK)):
        chunk = planned[first:first + CHUNK]
        for name in _turns(names, n):
            start, cpu = time.perf_counter(), time.process_time()
            figures[name].entries += write_entries(worlds[name], chunk)
            figures[name].insert_seconds += time.perf_counter() - start
            figures[name].insert_cpu_seconds += time.process_time() - cpu
        done += len(chunk)
        if done / len(planned) >= next_report or done == len(planned):
            rates = ", ".join(f"{v} {figures[v].entries / figures[v].insert_seconds:.0f}/s"
                              for v in names)
            print(f"  inserted {done}/{len(planned)} ({rates})", file=sys.stderr, flush=True)
            next_report += 0.1


def _reads(worlds: dict[str, BenchWorld], figures: dict[str, Figures], reps: int) -> None:
    names = list(worlds)
    for rep in range(WARMUP + reps):
        for name in _turns(names, rep):
            ms, cpu_ms, _page = _timed_ms(open_timeline, worlds[name])
            if rep >= WARMUP:
                figures[name].timeline_ms.append(ms)
                figures[name].timeline_cpu_ms.append(cpu_ms)
    for rep in range(WARMUP + reps):
        for query in QUERIES:
            for name in _turns(names, rep):
                ms, cpu_ms, hits = _timed_ms(search_all, worlds[name], query)
                figures[name].search_hits[query] = len(hits)
                if rep >= WARMUP:
                    figures[name].search_cpu_ms.append(cpu_ms)
                    figures[name].search_ms.setdefault(query, []).append(ms)


def _close(worlds: dict[str, BenchWorld], figures: dict[str, Figures], folder: Path) -> None:
    for name, world in worlds.items():
        world.store.close()
        figures[name].file_mb = (folder / f"{name}.db").stat().st_size / 2**20


def run_serial(args: argparse.Namespace, folder: Path) -> dict[str, Figures]:
    """Both stores in this process, the variants interleaved chunk by chunk."""
    figures = {name: Figures() for name in VARIANTS}
    worlds = _open_worlds(folder, args.clients, figures)
    try:
        print("set up done; inserting", file=sys.stderr, flush=True)
        _insert(worlds, figures, args)
        print("reading", file=sys.stderr, flush=True)
        _reads(worlds, figures, args.reps)
    finally:
        _close(worlds, figures, folder)
    return figures


def _variant_process(name: str, args: argparse.Namespace, folder: Path, barrier: Any,
                     results: Any) -> None:
    """One variant in its own process; the barrier keeps both in the same phase."""
    figures = {name: Figures()}
    try:
        worlds = _open_worlds(folder, args.clients, figures)
        try:
            barrier.wait()
            _insert(worlds, figures, args)
            barrier.wait()
            _reads(worlds, figures, args.reps)
        finally:
            _close(worlds, figures, folder)
    except BaseException:
        barrier.abort()  # the other variant stops waiting and ends too
        raise
    results.put((name, asdict(figures[name])))


def run_parallel(args: argparse.Namespace, folder: Path) -> dict[str, Figures]:
    """Each variant in its own process on its own core, phase by phase at the same time."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(len(VARIANTS)), ctx.Queue()
    procs = [ctx.Process(target=_variant_process, args=(name, args, folder, barrier, results))
             for name in VARIANTS]
    for proc in procs:
        proc.start()
    figures: dict[str, Figures] = {}
    while len(figures) < len(VARIANTS) and any(p.is_alive() for p in procs):
        with contextlib.suppress(queue.Empty):
            name, data = results.get(timeout=1)
            figures[name] = Figures(**data)
    for proc in procs:
        proc.join()
    if len(figures) < len(VARIANTS):
        raise SystemExit("benchmark failed: a variant's process ended without figures")
    return figures


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _ratio(enc: float, plain: float) -> float:
    return enc / plain if plain else float("inf")


def report(figures: dict[str, Figures], args: argparse.Namespace) -> str:
    """The printed table: each figure for both variants, the ratio, the targets."""
    enc, pla = figures["encrypted"], figures["plain"]
    rows = [
        ("insert: total seconds", enc.insert_seconds, pla.insert_seconds),
        ("insert: CPU seconds", enc.insert_cpu_seconds, pla.insert_cpu_seconds),
        ("insert: entries/s", enc.entries / enc.insert_seconds,
         pla.entries / pla.insert_seconds),
        ("timeline page: median ms", median(enc.timeline_ms), median(pla.timeline_ms)),
        ("timeline page: p95 ms", p95(enc.timeline_ms), p95(pla.timeline_ms)),
        ("timeline page: median CPU ms", median(enc.timeline_cpu_ms),
         median(pla.timeline_cpu_ms)),
        ("search: median ms", median(enc.all_search_ms), median(pla.all_search_ms)),
        ("search: p95 ms", p95(enc.all_search_ms), p95(pla.all_search_ms)),
        ("search: median CPU ms", median(enc.search_cpu_ms), median(pla.search_cpu_ms)),
    ]
    lines = [
        f"carebook storage benchmark: {args.entries} journal entries, {args.clients} clients, "
        f"timeline of a client with {args.focus} entries, {args.reps} repetitions; "
        + ("serial, interleaved" if args.serial else "side by side, one process each"),
        f"load average before the run: {args.load:.2f} (cores: {os.cpu_count()})", "",
        f"{'figure':<28}{'encrypted':>12}{'plain':>12}{'ratio':>11}",
        "-" * 63,
    ]
    for label, e, p in rows:
        ratio = _ratio(p, e) if "entries/s" in label else _ratio(e, p)
        lines.append(f"{label:<28}{e:>12.2f}{p:>12.2f}{ratio:>11.2f}")
    lines.append("ratio = encrypted time / plain time (entries/s: plain rate / encrypted "
                 "rate); above 1 the encrypted store is slower.\nCPU = this process's CPU "
                 "time: what the figure would be on an otherwise idle core.")
    lines += ["", f"{'search query':<28}{'hits':>6}{'enc med ms':>12}{'plain med ms':>14}"]
    for q in QUERIES:
        lines.append(f"{q:<28}{enc.search_hits[q]:>6}{median(enc.search_ms[q]):>12.2f}"
                     f"{median(pla.search_ms[q]):>14.2f}")
    lines += ["", f"setup (not timed in the figures): encrypted {enc.setup_seconds:.1f} s, "
              f"plain {pla.setup_seconds:.1f} s; files: encrypted {enc.file_mb:.1f} MB, "
              f"plain {pla.file_mb:.1f} MB", "", "targets:"]
    checks = [
        (f"insert ratio <= {RATIO_TARGET}", _ratio(pla.entries / pla.insert_seconds,
                                                   enc.entries / enc.insert_seconds),
         RATIO_TARGET),
        (f"timeline ratio (median) <= {RATIO_TARGET}",
         _ratio(median(enc.timeline_ms), median(pla.timeline_ms)), RATIO_TARGET),
        (f"search ratio (median) <= {RATIO_TARGET}",
         _ratio(median(enc.all_search_ms), median(pla.all_search_ms)), RATIO_TARGET),
        (f"timeline page, encrypted median <= {TIMELINE_MS:.0f} ms", median(enc.timeline_ms),
         TIMELINE_MS),
        (f"timeline page, encrypted p95 <= {TIMELINE_MS:.0f} ms", p95(enc.timeline_ms),
         TIMELINE_MS),
        (f"search, encrypted median <= {SEARCH_MS:.0f} ms", median(enc.all_search_ms),
         SEARCH_MS),
        (f"search, encrypted p95 <= {SEARCH_MS:.0f} ms", p95(enc.all_search_ms), SEARCH_MS),
        (f"(idle core) timeline page, CPU median <= {TIMELINE_MS:.0f} ms",
         median(enc.timeline_cpu_ms), TIMELINE_MS),
        (f"(idle core) search, CPU median <= {SEARCH_MS:.0f} ms", median(enc.search_cpu_ms),
         SEARCH_MS),
    ]
    for label, value, limit in checks:
        lines.append(f"  {label:<50}{value:>9.2f}  {_verdict(value <= limit)}")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=None, help="default 50,000")
    parser.add_argument("--clients", type=int, default=None, help="default 200")
    parser.add_argument("--focus", type=int, default=None,
                        help="entries of the timeline client (default: a tenth of --entries)")
    parser.add_argument("--reps", type=int, default=None,
                        help="repetitions of each read (default 50)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 2,000 entries, 20 clients, 10 repetitions")
    parser.add_argument("--serial", action="store_true",
                        help="one process, variants interleaved (default: one process each, "
                             "side by side on two cores)")
    parser.add_argument("--dir", type=Path, default=None,
                        help="keep the two store files in this folder (default: temporary)")
    args = parser.parse_args(argv)
    defaults = (2_000, 20, 10) if args.quick else (50_000, 200, 50)
    for name, default in zip(("entries", "clients", "reps"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
    if args.focus is None:
        args.focus = args.entries // 10
    if args.entries < 1 or args.clients < 1 or args.reps < 1:
        parser.error("--entries, --clients and --reps must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.load = os.getloadavg()[0]
    runner = run_serial if args.serial else run_parallel
    if args.dir is not None:
        args.dir.mkdir(mode=0o700, parents=True, exist_ok=False)
        figures = runner(args, args.dir)
    else:
        with tempfile.TemporaryDirectory(prefix="carebook-bench-") as tmp:
            figures = runner(args, Path(tmp))
    print(report(figures, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
