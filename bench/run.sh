#!/usr/bin/env bash
# gongshi performance benchmark: one command, same corpus every time.
#
#   bench/run.sh [--sizes 1000,10000,100000] [--runs 5] [--no-ledger] [--serve] [--keep] [--bin PATH] [--warmup 1]
#
# Installs what it needs (Debian's hugo and time), builds gongshi (release)
# and the I/O-floor program, generates the corpora into /dev/shm, then for
# each size runs, alternately, W warm-up (default 1) + R timed runs of:
#   floor         read every input file, write one file per page (bench/floor.rs)
#   gongshi-min   gongshi with the minimal theme (bench/templates/gongshi-minimal), unpaginated,
#                 and what Hugo does not do either left out: no search index (search: false),
#                 no government-site checks (--no-check)
#   gongshi-full  gongshi with the default theme: everything it builds (listings paginated
#                 by gongshi's default, feeds, sitemaps, open data, manifest, checks)
#   hugo-min      Hugo with the equivalent minimal layouts (bench/templates/hugo-minimal)
# and prints medians of wall time and peak memory (max RSS), with ratios to Hugo.
# Then the ledger case: 10,000 tasks + 1,000 indicators (x 3 units x 3 periods),
# no other pages, default theme. --serve also measures `gongshi serve` edit →
# reload latency on the 10,000-page corpus (bench/serve_latency.py).
# Everything is written under /dev/shm and removed at the end (--keep keeps it).
# --bin PATH benchmarks that gongshi binary instead of building the work tree
# (e.g. one built from a clean checkout of a commit).
set -euo pipefail

SIZES=1000,10000,100000
RUNS=5
WARMUP=1
LEDGER=1
SERVE=0
KEEP=0
BIN=
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --no-ledger) LEDGER=0; shift ;;
        --serve) SERVE=1; shift ;;
        --keep) KEEP=1; shift ;;
        --bin) BIN=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

BENCH=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$BENCH")
DATE=2026-11-20
# The interpreter itself, not a version manager's shell shim (which costs ~100 ms a call).
PY=$(python3 -c 'import sys; print(sys.executable)')

# --- tools -------------------------------------------------------------------
missing=()
command -v hugo >/dev/null || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} …"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
command -v rustc >/dev/null || { echo "rustc not found (needed for gongshi and the floor program)" >&2; exit 1; }

WORK=$(mktemp -d /dev/shm/gongshi-bench.XXXXXX)
cleanup() { if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

if [ -n "$BIN" ]; then
    echo "== using $BIN; building the floor program"
    cp "$BIN" "$WORK/gongshi"
    COMMIT="(--bin $BIN)"
else
    echo "== building gongshi (release) and the floor program"
    (cd "$REPO" && cargo build --release --quiet)
    cp "$REPO/target/release/gongshi" "$WORK/gongshi"   # a copy: target/ may be rebuilt meanwhile
    COMMIT="$(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet HEAD -- src themes Cargo.toml Cargo.lock build.rs || echo ' + uncommitted changes')"
fi
rustc -O --edition 2021 "$BENCH/floor.rs" -o "$WORK/floor"
G=$WORK/gongshi

echo "== machine"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  gongshi: $COMMIT"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc)   memory: $(free -h | awk '/^Mem:/ {print $2}')   $(hugo version | cut -d' ' -f1-2)   $(rustc --version)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

RESULTS=$WORK/results.jsonl
: > "$RESULTS"

IFS=, read -r -a sizes <<< "$SIZES"
for n in "${sizes[@]}"; do
    D=$WORK/$n
    echo "== $n pages: generating"
    t=$SECONDS
    "$PY" "$BENCH/gen.py" --pages "$n" "$D/full" --hugo "$D/hugo"
    # The minimal site: same content (hard links), its own site.yml and theme.
    "$PY" "$BENCH/gen.py" --site-only --theme minimal --theme-src "$BENCH/templates/gongshi-minimal" --paginate-by 1000000000 --no-search "$D/min"
    cp -al "$D/full/content" "$D/min/content"
    cp -r "$BENCH/templates/hugo-minimal/layouts" "$D/hugo/layouts"
    echo "   generated in $((SECONDS - t)) s ($(du -sh "$D/full/content" | cut -f1) of Markdown)"
    echo "== $n pages: $WARMUP warm-up + $RUNS runs of each, alternating"
    "$PY" "$BENCH/measure.py" run --label "$n" --runs "$RUNS" --warmup "$WARMUP" --results "$RESULTS" \
        --case "floor|$D/o-floor|$WORK/floor $D/full $D/o-floor" \
        --case "gongshi-min|$D/o-min|$G build --no-check --root $D/min --output $D/o-min --date $DATE" \
        --case "gongshi-full|$D/o-full|$G build --root $D/full --output $D/o-full --date $DATE" \
        --case "hugo-min|$D/o-hugo|hugo --source $D/hugo --destination $D/o-hugo --cacheDir $D/hugo-cache --quiet"
    if [ "$SERVE" = 1 ] && [ "$n" = 10000 ]; then
        echo "== gongshi serve: edit → reload latency on $n pages"
        "$PY" "$BENCH/serve_latency.py" --gongshi "$G" --root "$D/full" --edits 20 || echo "serve_latency reported a problem (exit $?)"
    fi
    [ "$KEEP" = 1 ] || rm -rf "$D"
done

if [ "$LEDGER" = 1 ]; then
    D=$WORK/ledger
    echo "== ledger: 10,000 tasks + 1,000 indicators (default theme, charts)"
    "$PY" "$BENCH/gen.py" --pages 0 --tasks 10000 --indicators 1000 "$D/full"
    "$PY" "$BENCH/measure.py" run --label ledger --runs "$RUNS" --warmup "$WARMUP" --results "$RESULTS" \
        --case "gongshi-full|$D/o-full|$G build --root $D/full --output $D/o-full --date $DATE"
fi

echo
echo "== results (medians of $RUNS runs; wall time; peak memory = max RSS)"
"$PY" "$BENCH/measure.py" table "$RESULTS"
