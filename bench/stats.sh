#!/usr/bin/env bash
# `waymark stats` on a year of a busy site's access log (about 1 GB, combined format, 5% of the
# requests plaque scans of the example's codes, a tenth of those by previewers), against reading
# the same file with `cat` and counting its lines with `wc -l`, in this run on this machine.
# usage: bench/stats.sh [MB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-1024}
DIR=${BENCH_DIR:-/tmp/waymark-bench}
LOG=$DIR/access-$MB.log
mkdir -p "$DIR"
if [ ! -f "$LOG" ]; then
  python3 - "$LOG" "$MB" <<'PY'
import random, sys
path, mb = sys.argv[1], int(sys.argv[2])
random.seed(7)
codes = ["HVT", "DKC", "CHILANG", "TNM", "BACSON", "MAUSON", "HNL", "HMS"]
agents = ["Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 Zalo android/12010",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 [FBAN/FBIOS;FBAV/400]",
          "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
          "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"]
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
pages = ["/relics/den-ky-cung/", "/", "/style.css", "/relics/", "/en/relics/mau-son/", "/homestays/"]
target = mb * 1024 * 1024
with open(path, "w") as f:
    size = 0
    while size < target:
        lines = []
        for _ in range(10000):
            ip = f"{random.randint(1,223)}.{random.randint(0,255)}.{random.randint(0,255)}.{random.randint(1,254)}"
            day = random.randint(1, 28); mon = random.choice(months)
            if random.random() < 0.05:
                path_ = f"/q/{random.choice(codes)}/"; agent = agents[2 if random.random() < 0.1 else random.randint(0, 1)]
            else:
                path_ = random.choice(pages); agent = random.choice(agents)
            lines.append(f'{ip} - - [{day:02}/{mon}/2026:{random.randint(0,23):02}:{random.randint(0,59):02}:00 +0700] "GET {path_} HTTP/1.1" 200 {random.randint(200,90000)} "-" "{agent}"\n')
        chunk = "".join(lines); f.write(chunk); size += len(chunk)
PY
fi
cargo build --release -q
SITE=$(mktemp -d)
trap 'rm -rf "$SITE"' EXIT
cp -r content site.yaml plaques.lock themes "$SITE"/
sync
cat "$LOG" > /dev/null   # warm the page cache, as for every measurement below
t() { /usr/bin/time -f "%e s, %M KiB peak" "$@" 2>&1 >/dev/null | tail -1; }
echo "log: $(du -m "$LOG" | cut -f1) MB, $(wc -l < "$LOG") lines"
echo "cat:     $(t cat "$LOG")"
echo "wc -l:   $(t wc -l "$LOG")"
echo "stats:   $(t target/release/waymark stats --site "$SITE" "$LOG")"
