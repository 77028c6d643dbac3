"""Run the benchmarks: ``python -m benchmarks [--quick] [--only N ...] [--runs R] [--clock cpu|wall]``.

Prints, for each measurement, the median of several alternating runs of ours and of the
baseline, their ratio and whether the target is met. ``--quick`` uses small inputs (a smoke run;
its ratios mean little). Exit status is 0 even when a target is missed: the numbers are for
reading, not for failing a build.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import inputs
from ._cpu import parallel_speedup

AS_OF = "2026-11-21"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    """One line of the results table."""

    number: int
    name: str
    ours: str
    baseline: str
    ratio: float
    target: str
    met: bool
    note: str = ""


@dataclass
class Settings:
    quick: bool
    runs: int
    work: Path


def cpu_seconds() -> float:
    """CPU seconds used by this process and by its children that have ended (user + system).

    On a machine shared with other work, wall-clock time counts the time a process waits for a
    core, which the two sides of a ratio do not wait for alike; CPU time counts only the work.
    Every measurement here runs on one thread (spaCy, pdfminer, PDFium), so on an idle machine
    the two clocks agree."""
    try:
        import resource  # microseconds, where os.times() counts clock ticks (10 ms)

        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime
    except ImportError:
        own = os.times()
        return time.process_time() + own.children_user + own.children_system


#: The clock of the timings: ``cpu_seconds`` (default) or ``time.perf_counter`` (``--clock wall``).
CLOCK: Callable[[], float] = cpu_seconds


def alternate(ours: Callable[[], object], baseline: Callable[[], object], runs: int,
              warmup: int = 1, clock: Callable[[], float] | None = None) -> tuple[float, float]:
    """Median seconds of ``ours`` and ``baseline``, run alternately (A, B, A, B, ...) after a
    warm-up, on ``clock`` (default: :data:`CLOCK`)."""
    clock = clock or CLOCK
    for _ in range(warmup):
        ours()
        baseline()
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        t = clock()
        ours()
        a.append(clock() - t)
        t = clock()
        baseline()
        b.append(clock() - t)
    return statistics.median(a), statistics.median(b)


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


def _mb(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


# ------------------------------------------------------------------------------------------------
# The measurements


def bench_pdf(cfg: Settings) -> Row:
    """1. Auditor().audit(pdf) of a text-dense PDF vs pdfminer's extract_text on the same file."""
    import guidance_audit as ga
    from pdfminer.high_level import extract_text

    pages = 8 if cfg.quick else 60
    pdf = inputs.write_pdf(cfg.work / f"guidance-{pages}.pdf", pages)
    auditor = ga.Auditor()
    found = []
    ours, base = alternate(lambda: found.append(auditor.audit(pdf, as_of=AS_OF)), lambda: extract_text(str(pdf)),
                           cfg.runs)
    report = found[-1]
    ratio = ours / base
    return Row(1, f"audit({pages}-page PDF), pdfminer, vs pdfminer extract_text", _s(ours), _s(base), ratio,
               "≤ 1.1", ratio <= 1.1, f"{report.pages} pages, {report.claim_count} claims, {len(report.findings)} findings")


def bench_pdfium(cfg: Settings) -> Row:
    """7. Auditor(pdf_backend="pdfium").audit(pdf) vs pdfminer's extract_text on the same file."""
    import guidance_audit as ga
    from guidance_audit.readers.pdfium import available
    from pdfminer.high_level import extract_text

    pages = 8 if cfg.quick else 60
    pdf = inputs.write_pdf(cfg.work / f"guidance-{pages}.pdf", pages)
    if not available():
        return Row(7, f"audit({pages}-page PDF), PDFium, vs pdfminer extract_text", "-", "-", float("nan"),
                   "≤ 0.3", False, 'not measured: pip install ".[pdfium]"')
    fb = ga.load_factbase()
    pdfium, pdfminer = ga.Auditor(fb, pdf_backend="pdfium"), ga.Auditor(fb)
    found = []
    ours, base = alternate(lambda: found.append(pdfium.audit(pdf, as_of=AS_OF)), lambda: extract_text(str(pdf)),
                           cfg.runs)
    report = found[-1]
    same = report.findings == pdfminer.audit(pdf, as_of=AS_OF).findings
    ratio = ours / base
    return Row(7, f"audit({pages}-page PDF), PDFium, vs pdfminer extract_text", _s(ours), _s(base), ratio, "≤ 0.3",
               ratio <= 0.3 and same, f"{report.claim_count} claims, {len(report.findings)} findings, "
               f"{'the same as' if same else 'DIFFERENT from'} the pdfminer reader's")


def _text(cfg: Settings) -> tuple[str, list[str]]:
    return inputs.guidance_text(150_000 if cfg.quick else 1_500_000)


def bench_text(cfg: Settings) -> Row:
    """2. audit_text of guidance prose vs the blank English tokenizer over the same paragraphs."""
    import spacy

    import guidance_audit as ga

    text, paras = _text(cfg)
    auditor = ga.Auditor()
    tokenizer = spacy.blank("en").tokenizer

    def tokenize() -> None:
        for _ in tokenizer.pipe(paras):
            pass

    found = []
    ours, base = alternate(lambda: found.append(auditor.audit_text(text, as_of=AS_OF)), tokenize, cfg.runs)
    ratio = ours / base
    report = found[-1]
    return Row(2, f"audit_text({len(text) / 1e6:.2f} MB varied prose) vs tokenizer.pipe", _s(ours), _s(base), ratio,
               "≤ 5", ratio <= 5, f"{report.claim_count} claims, {len(report.findings)} findings, "
               f"{len(set(text.split())):,} distinct words")


def bench_factbase(cfg: Settings) -> Row:
    """3. The same audit with the fact base grown tenfold by facts whose phrases never occur."""
    import guidance_audit as ga

    text, _ = _text(cfg)
    bundled = ga.load_factbase()
    n_extra = 9 * max(len(bundled), 10)
    packs = inputs.synthetic_packs(cfg.work / "synthetic-packs", n_extra)
    grown = ga.load_factbase(extra=packs)
    small, big = ga.Auditor(bundled), ga.Auditor(grown)
    got: dict[str, list] = {}
    ours, base = alternate(lambda: got.__setitem__("big", big.audit_text(text, as_of=AS_OF).findings),
                           lambda: got.__setitem__("small", small.audit_text(text, as_of=AS_OF).findings), cfg.runs)
    same = got["big"] == got["small"]
    ratio = ours / base
    note = f"{len(bundled)} -> {len(grown)} facts; findings {'identical' if same else 'DIFFER'}"
    return Row(3, "audit_text with a 10x fact base vs bundled", _s(ours), _s(base), ratio, "≤ 1.2",
               ratio <= 1.2 and same, note)


# The peak is read from /proc/self/status (VmHWM) where there is one: on Linux, ru_maxrss of a
# child started from a large parent keeps the parent's size at the fork as a floor.
_PEAK_SCRIPT = """
import resource, sys
import guidance_audit as ga
auditor = ga.Auditor()
if sys.argv[1] != "-":
    report = auditor.audit(sys.argv[1], as_of="%s")
    assert report.pages, report
try:
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    print(int(status.split()[0]))
except (OSError, IndexError):
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""" % AS_OF


def _peak_kib(path: str) -> int:
    done = subprocess.run([sys.executable, "-c", _PEAK_SCRIPT, path], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    return int(done.stdout.split()[-1])


def bench_memory(cfg: Settings) -> Row:
    """4. Peak memory (RSS of a fresh process) auditing a long PDF vs one a tenth of its length."""
    small_pages, big_pages = (5, 50) if cfg.quick else (50, 500)
    small = inputs.write_pdf(cfg.work / f"guidance-{small_pages}.pdf", small_pages)
    big = inputs.write_pdf(cfg.work / f"guidance-{big_pages}.pdf", big_pages)
    runs = 1 if cfg.quick else 2
    peaks_big, peaks_small = [], []
    for _ in range(runs):
        peaks_big.append(_peak_kib(str(big)))
        peaks_small.append(_peak_kib(str(small)))
    idle = _peak_kib("-")
    ours, base = statistics.median(peaks_big), statistics.median(peaks_small)
    ratio = ours / base
    grown = (ours - idle) / max(base - idle, 1)
    note = (f"an Auditor alone: {_mb(idle)}; above that: +{_mb(ours - idle)} for {big_pages} pages, "
            f"+{_mb(base - idle)} for {small_pages} ({grown:.1f}x)")
    return Row(4, f"peak RSS, {big_pages}-page vs {small_pages}-page PDF", _mb(ours), _mb(base), ratio, "≤ 2.0",
               ratio <= 2.0, note)


def bench_corpus(cfg: Settings) -> Row:
    """5. audit_many over many documents with two worker processes vs one process."""
    import guidance_audit as ga

    n_docs, size = (40, 8_000) if cfg.quick else (200, 25_000)
    folder = cfg.work / "corpus"
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(n_docs):
        p = folder / f"doc{i:04d}.txt"
        if not p.exists():
            p.write_text(inputs.guidance_text(size, seed=100 + i)[0], encoding="utf-8")
        paths.append(str(p))
    auditor = ga.Auditor()
    results: dict[int, list] = {}

    def run(n: int) -> None:
        results[n] = [r.findings for r in auditor.audit_many(paths, as_of=AS_OF, n_process=n)]

    available = parallel_speedup()
    # A speed-up from more processes is only seen on the wall clock.
    two, one = alternate(lambda: run(2), lambda: run(1), max(1, cfg.runs - 2), warmup=0, clock=time.perf_counter)
    available = (available + parallel_speedup()) / 2
    speedup = one / two
    same = results[1] == results[2]
    note = (f"{n_docs} documents of {size // 1000} KB; {n_docs / two:.0f} vs {n_docs / one:.0f} documents/s; "
            f"results {'identical' if same else 'DIFFER'}; a pure-CPU task got {available:.2f}x from two "
            f"processes during this measurement")
    return Row(5, f"audit_many({n_docs} docs) n_process=2 vs 1 (speed-up)", _s(two), _s(one), speedup,
               "≥ 1.7", speedup >= 1.7 and same, note)


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("guidance-audit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "guidance_audit"]


def bench_cold_start(cfg: Settings) -> Row:
    """6. ``guidance-audit audit`` of a one-paragraph file in a fresh process vs importing spaCy
    and making a blank English pipeline."""
    one = cfg.work / "one-paragraph.txt"
    one.write_text("People on a spouse visa can apply for indefinite leave to remain after two years. "
                   "Contact the UK Border Agency.\n", encoding="utf-8")
    ours_cmd = _cli() + ["audit", str(one), "--as-of", AS_OF, "--fail-on", "never"]
    base_cmd = [sys.executable, "-c", "import spacy; spacy.blank('en')"]

    def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
        subprocess.run(cmd, check=True, capture_output=True, cwd=cfg.work, env=env)

    # The warm-up run fills the start-up cache (parsed packs, tokenized phrases; see
    # guidance_audit/_cache.py) as any first run after an install or upgrade does; the timed runs
    # use it. The note gives the same start with the cache turned off.
    ours, base = alternate(lambda: run(ours_cmd), lambda: run(base_cmd), cfg.runs)
    off = dict(os.environ, GUIDANCE_AUDIT_CACHE="off")
    uncached, base2 = alternate(lambda: run(ours_cmd, off), lambda: run(base_cmd), max(3, cfg.runs // 2), warmup=0)
    ratio = ours / base
    return Row(6, "cold start: guidance-audit audit (1 paragraph) vs spacy.blank", _s(ours), _s(base), ratio,
               "≤ 1.3", ratio <= 1.3, f"with the start-up cache filled by the warm-up run; without it "
               f"(GUIDANCE_AUDIT_CACHE=off): {_s(uncached)} against {_s(base2)}, {uncached / base2:.2f}")


def bench_impact(cfg: Settings) -> Row:
    """8. ``impact()`` of a one-fact change on a store of 10,000 documents vs on a store of 1,000,
    both with the same 50 documents touching the changed fact (the ratio shows whether the cost
    follows the store's size); the note gives the same store with ten times the affected documents."""
    import guidance_audit as ga
    from guidance_audit.impact import impact
    from guidance_audit.store import Store

    from . import impact_store

    before = ga.load_factbase()
    after = ga.load_factbase(extra=[impact_store.changed_pack(cfg.work / "change.yaml")])
    old, new = ga.Auditor(before), ga.Auditor(after)  # built once, as a long-lived service would
    big_n, small_n, hit = (2000, 200, 10) if cfg.quick else (10_000, 1_000, 50)
    big = impact_store.build_store(cfg.work / "big.sqlite", cfg.work, old, big_n, hit)
    small = impact_store.build_store(cfg.work / "small.sqlite", cfg.work, old, small_n, hit)
    more = impact_store.build_store(cfg.work / "more.sqlite", cfg.work, old, big_n, hit * 10)

    def run(path: Path) -> int:
        result = impact(Store(path), after, before=before, auditor_before=old, auditor_after=new)
        return len(result.entries)

    assert run(big) == run(small) == hit, "both stores must give the same impact"
    # spaCy and the checks warm their caches over the first few calls: warm up longer than usual
    ours, base = alternate(lambda: run(big), lambda: run(small), cfg.runs, warmup=3)
    t = CLOCK()
    many = run(more)
    more_s = CLOCK() - t
    ratio = ours / base
    note = (f"{hit} affected statements in {big_n:,} vs {small_n:,} stored documents; "
            f"{many} affected in {big_n:,}: {_s(more_s)} ({more_s / ours:.1f}x for {many // hit}x the statements)")
    return Row(8, f"impact(): {big_n:,}-document store vs {small_n:,} (same {hit} affected)", _s(ours), _s(base),
               ratio, "≤ 1.2", ratio <= 1.2, note)


def profile(cfg: Settings, number: int) -> None:
    """Print where the time of one of our runs goes (measurements 1 to 3): cProfile, by own time
    and by cumulative time within guidance_audit."""
    import cProfile
    import pstats

    import guidance_audit as ga

    if number in (1, 7):
        pdf = inputs.write_pdf(cfg.work / "profile.pdf", 8 if cfg.quick else 60)
        auditor = ga.Auditor(pdf_backend="pdfium" if number == 7 else "pdfminer")
        run: Callable[[], object] = lambda: auditor.audit(pdf, as_of=AS_OF)
    elif number in (2, 3):
        text, _ = _text(cfg)
        fb = ga.load_factbase()
        if number == 3:
            fb = ga.load_factbase(extra=inputs.synthetic_packs(cfg.work / "profile-packs", 9 * max(len(fb), 10)))
        auditor = ga.Auditor(fb)
        run = lambda: auditor.audit_text(text, as_of=AS_OF)
    else:
        raise SystemExit(f"--profile supports measurements 1, 2, 3 and 7, not {number}")
    run()  # warm up
    prof = cProfile.Profile()
    prof.runcall(run)
    stats = pstats.Stats(prof, stream=sys.stdout)
    print(f"\n--- profile of measurement {number}: own time ---")
    stats.sort_stats("tottime").print_stats(20)
    print(f"--- profile of measurement {number}: cumulative, guidance_audit only ---")
    stats.sort_stats("cumulative").print_stats(r"guidance_audit[/\\](?!readers[/\\]__init__)", 25)


BENCHMARKS: dict[int, Callable[[Settings], Row]] = {
    1: bench_pdf, 2: bench_text, 3: bench_factbase, 4: bench_memory, 5: bench_corpus, 6: bench_cold_start,
    7: bench_pdfium,
    8: bench_impact,
}


# ------------------------------------------------------------------------------------------------
# Running and reporting


def machine() -> str:
    """The machine and library versions, for the README."""
    import pdfminer
    import spacy

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    load = ", load average %.2f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    return (f"{os.cpu_count()} CPUs ({cpu}){mem}{load}; Python {platform.python_version()}, "
            f"spaCy {spacy.__version__}, pdfminer.six {pdfminer.__version__}, {platform.system()} {platform.release()}")


def table(rows: list[Row]) -> str:
    header = ("#", "measurement", "ours", "baseline", "ratio", "target", "met?")
    body = [(str(r.number), r.name, r.ours, r.baseline, f"{r.ratio:.2f}", r.target, "yes" if r.met else "NO")
            for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *body)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths)),
             "-|-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths)) for row in body]
    notes = [f"  {r.number}. {r.note}" for r in rows if r.note]
    return "\n".join(lines + ([""] + notes if notes else []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, fewer runs (a smoke run)")
    parser.add_argument("--only", type=int, nargs="+", choices=sorted(BENCHMARKS), metavar="N",
                        help="run only these measurements (1-8)")
    parser.add_argument("--runs", type=int, help="alternating runs per measurement (default 5, quick 2)")
    parser.add_argument("--profile", type=int, metavar="N", help="instead, profile our side of measurement N (1-3, 7)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="time CPU seconds of the process and its children (default; less skewed by other "
                             "work on a shared machine) or wall-clock seconds; the speed-up of 5 is always wall-clock")
    args = parser.parse_args(argv)
    global CLOCK
    CLOCK = cpu_seconds if args.clock == "cpu" else time.perf_counter
    chosen = args.only or sorted(BENCHMARKS)
    print(machine(), flush=True)
    print(f"timings: {'CPU' if args.clock == 'cpu' else 'wall-clock'} seconds, median of alternating runs",
          flush=True)
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="ga-bench-") as work:
            profile(Settings(quick=args.quick, runs=1, work=Path(work)), args.profile)
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="ga-bench-") as work:
        cfg = Settings(quick=args.quick, runs=args.runs or (2 if args.quick else 5), work=Path(work))
        for n in chosen:
            started = time.perf_counter()
            row = BENCHMARKS[n](cfg)
            rows.append(row)
            print(f"[{n}] {row.name}: ratio {row.ratio:.2f} ({time.perf_counter() - started:.0f} s)", flush=True)
    print()
    print(table(rows))
    if hasattr(os, "getloadavg"):
        # Other work on the machine skews the timings, the two-process speed-up most of all.
        print("\nload average at the end: %.2f %.2f %.2f" % os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
