#!/usr/bin/env python3
"""Runs build commands alternately and prints medians (used by run.sh).

    measure.py run --label L --runs R --results FILE --case 'NAME|OUTDIR|COMMAND' ...
    measure.py table FILE

`run`: one warm-up round, then R rounds; each round runs every case once, in
the order given (so the cases alternate and share whatever the machine is
doing). OUTDIR is removed before each run, untimed. Wall time is measured
around the process; peak memory is `/usr/bin/time`'s maximum resident set
size (the same figure `/usr/bin/time -v` prints), and CPU time (user +
system), which a busy machine disturbs less than wall time. Each run is appended to
FILE as a JSON line with the 1-minute load average and whether another
compile (rustc, cc1, ld, go …) was running.

`table`: medians per label and case, ratios to Hugo, and notes on load.
Python 3 standard library only.
"""

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

COMPILERS = {"rustc", "cargo", "cc1", "cc1plus", "ld", "ld.lld", "ld.gold", "mold", "clang", "go", "compile", "gcc", "cc"}


def others_compiling():
    """Names of compiler processes not started by us."""
    me = os.getpid()
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open(f"/proc/{pid}/comm") as f:
                comm = f.read().strip()
        except OSError:
            continue
        if comm in COMPILERS:
            found.append(comm)
    return sorted(set(found))


def run_once(cmd, outdir, log):
    if outdir and os.path.exists(outdir):
        shutil.rmtree(outdir)
    fd, rss_file = tempfile.mkstemp(prefix="measure-rss-")
    os.close(fd)
    busy_before = others_compiling()
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", rss_file, *cmd], stdout=subprocess.DEVNULL, stderr=log)
    wall = time.perf_counter() - t0
    busy = sorted(set(busy_before) | set(others_compiling()))
    with open(rss_file) as f:
        last = (f.read().strip().splitlines() or [""])[-1].split()
    os.unlink(rss_file)
    rss, cpu = (int(last[0]), float(last[1]) + float(last[2])) if len(last) == 3 else (0, 0.0)
    return {"wall": wall, "cpu": cpu, "rss_kb": rss, "load1": load, "busy": busy, "rc": p.returncode}


def cmd_run(a):
    cases = []
    for c in a.case:
        name, outdir, command = c.split("|", 2)
        cases.append((name, outdir, shlex.split(command)))
    log_path = a.results + ".log"
    with open(log_path, "ab") as log, open(a.results, "a") as res:
        for rnd in range(-a.warmup, a.runs):
            for name, outdir, cmd in cases:
                log.write(f"== {a.label} {name} round {rnd}: {shlex.join(cmd)}\n".encode())
                log.flush()
                r = run_once(cmd, outdir, log)
                if r["rc"] != 0:
                    log.flush()
                    with open(log_path, "rb") as f:
                        tail = f.read().decode("utf-8", "replace").splitlines()[-40:]
                    sys.exit("\n".join(tail) + f"\n{name} failed (exit {r['rc']}): {shlex.join(cmd)}")
                mark = " (warm-up)" if rnd < 0 else ""
                busy = f"  [others compiling: {', '.join(r['busy'])}]" if r["busy"] else ""
                print(f"  {a.label:>8} {name:<13} {r['wall']:8.3f} s wall {r['cpu']:8.2f} s cpu {r['rss_kb'] / 1024:8.1f} MB  load {r['load1']:.2f}{mark}{busy}", flush=True)
                if rnd >= 0:
                    res.write(json.dumps({"label": a.label, "case": name, "round": rnd, **r}) + "\n")
    for _, outdir, _ in cases:
        if outdir and os.path.exists(outdir):
            shutil.rmtree(outdir)


def fmt_s(v):
    return f"{v:.3f}" if v < 10 else f"{v:.2f}"


def cmd_table(a):
    rows = [json.loads(l) for l in open(a.results) if l.strip()]
    labels = list(dict.fromkeys(r["label"] for r in rows))
    med = {}
    for r in rows:
        med.setdefault((r["label"], r["case"]), []).append(r)
    def m(label, case, key):
        v = med.get((label, case))
        return statistics.median(x[key] for x in v) if v else None
    sizes = [l for l in labels if l.isdigit()]
    if sizes:
        head = ["pages", "floor s", "gongshi-min s (×Hugo)", "gongshi-full s (×Hugo-min)", "hugo-min s", "µs/page g-min", "µs/page g-full", "µs/page hugo",
                "peak MB floor", "g-min", "g-full", "hugo", "CPU s g-min (×Hugo)", "g-full (×Hugo)", "hugo", "runs", "max load"]
        out = []
        for l in sizes:
            n = int(l)
            fl, gm, gf, hg = (m(l, c, "wall") for c in ("floor", "gongshi-min", "gongshi-full", "hugo-min"))
            mem = [m(l, c, "rss_kb") for c in ("floor", "gongshi-min", "gongshi-full", "hugo-min")]
            cm, cf, ch = (m(l, c, "cpu") for c in ("gongshi-min", "gongshi-full", "hugo-min"))
            cpu_ratio = lambda v: f"{v:.2f} ({v / ch:.2f}×)" if v is not None and ch else "–"
            runs = len(med.get((l, "gongshi-full"), []))
            load = max(x["load1"] for x in rows if x["label"] == l)
            ratio = lambda v: f"{fmt_s(v)} ({v / hg:.2f}×)" if v is not None and hg else "–"
            per = lambda v: f"{v / n * 1e6:.0f}" if v is not None else "–"
            out.append([f"{n:,}", fmt_s(fl) if fl is not None else "–", ratio(gm), ratio(gf), fmt_s(hg) if hg is not None else "–", per(gm), per(gf), per(hg),
                        *(f"{v / 1024:.0f}" if v is not None else "–" for v in mem), cpu_ratio(cm), cpu_ratio(cf), f"{ch:.2f}" if ch is not None else "–", str(runs), f"{load:.2f}"])
        print_table(head, out)
    for l in labels:
        if l.isdigit():
            continue
        print()
        head = ["case", "", "wall s (median)", "min", "max", "CPU s", "peak MB", "runs", "max load"]
        out = []
        for (label, case), v in med.items():
            if label != l:
                continue
            w = [x["wall"] for x in v]
            out.append([l, case, fmt_s(statistics.median(w)), fmt_s(min(w)), fmt_s(max(w)), f"{statistics.median(x['cpu'] for x in v):.2f}",
                        f"{statistics.median(x['rss_kb'] for x in v) / 1024:.0f}", str(len(v)), f"{max(x['load1'] for x in v):.2f}"])
        print_table(head, out)
    # The targets, where the runs to judge them were made.
    checks = []
    if m("10000", "gongshi-min", "wall") and m("10000", "hugo-min", "wall"):
        h = m("10000", "hugo-min", "wall")
        checks.append(("10,000 pages: gongshi-min ≤ 0.2× Hugo", m("10000", "gongshi-min", "wall") / h <= 0.2, f"{m('10000', 'gongshi-min', 'wall') / h:.2f}×"))
        checks.append(("10,000 pages: gongshi-full ≤ 0.35× Hugo-min", m("10000", "gongshi-full", "wall") / h <= 0.35, f"{m('10000', 'gongshi-full', 'wall') / h:.2f}×"))
        peak = max(m("10000", c, "rss_kb") for c in ("gongshi-min", "gongshi-full")) / 1024
        checks.append(("10,000 pages: gongshi peak memory < 150 MB", peak < 150, f"{peak:.0f} MB"))
    if m("10000", "gongshi-full", "cpu") and m("100000", "gongshi-full", "cpu"):
        # Per page, 100,000 against 10,000; CPU time, which load disturbs less than wall time.
        for c in ("gongshi-min", "gongshi-full"):
            g = m("100000", c, "cpu") / m("10000", c, "cpu") / 10
            w = m("100000", c, "wall") / m("10000", c, "wall") / 10
            checks.append((f"100,000 pages, {c}: time per page within 15% of 10,000's (linear)", g <= 1.15, f"CPU/page ×{g:.2f}, wall/page ×{w:.2f}"))
    if m("ledger", "gongshi-full", "wall"):
        checks.append(("ledger 10,000 tasks + 1,000 indicators < 2 s", m("ledger", "gongshi-full", "wall") < 2, f"{m('ledger', 'gongshi-full', 'wall'):.2f} s"))
    if checks:
        print()
        for name, ok, got in checks:
            print(f"{'PASS' if ok else 'FAIL'}  {name}: {got}")
    busy = [r for r in rows if r["busy"]]
    if busy:
        print(f"\nnote: {len(busy)} of {len(rows)} timed runs overlapped another compile ({', '.join(sorted({b for r in busy for b in r['busy']}))}); rerun for clean figures")
    else:
        print(f"\nno other compile was running during the {len(rows)} timed runs")


def print_table(head, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--label", required=True)
    r.add_argument("--runs", type=int, default=5)
    r.add_argument("--warmup", type=int, default=1)
    r.add_argument("--results", required=True)
    r.add_argument("--case", action="append", required=True, help="NAME|OUTDIR|COMMAND")
    t = sub.add_parser("table")
    t.add_argument("results")
    a = ap.parse_args()
    cmd_run(a) if a.cmd == "run" else cmd_table(a)


if __name__ == "__main__":
    main()
