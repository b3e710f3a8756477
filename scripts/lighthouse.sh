#!/usr/bin/env bash
# Lighthouse (mobile) over the example site's home page, an entry page and a QR landing, with
# Debian's Chromium. Prints each page's four category scores; reports go to output/lighthouse/.
# usage: scripts/lighthouse.sh [SITE_DIR]     (default: the bundled example, built first)
set -euo pipefail
cd "$(dirname "$0")/.."
SITE=${1:-.}
command -v chromium >/dev/null || { echo "install chromium (apt-get install chromium)"; exit 2; }
[ -d scripts/lighthouse/node_modules/lighthouse ] || npm ci --prefix scripts/lighthouse --no-audit --no-fund
cargo run --release -q -- build --site "$SITE"
OUT="$SITE/output"
PORT=${PORT:-8799}
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$OUT/site" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER' EXIT
sleep 1
mkdir -p "$OUT/lighthouse"
for page in / /relics/khu-luu-niem-hoang-van-thu/ /q/HVT/; do
  name=$(echo "$page" | tr '/' '_' | sed 's/^_*//; s/_*$//'); name=${name:-home}
  CHROME_PATH=/usr/bin/chromium node scripts/lighthouse/node_modules/lighthouse/cli/index.js \
    "http://127.0.0.1:$PORT$page" --quiet --output=json --output-path="$OUT/lighthouse/$name.json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run" \
    --only-categories=performance,accessibility,best-practices,seo >/dev/null
  node -e '
    const r = require(process.argv[1]);
    const s = Object.values(r.categories).map(c => `${c.title} ${Math.round(c.score * 100)}`).join(", ");
    console.log(`${process.argv[2]}: ${s}`);' "$PWD/$OUT/lighthouse/$name.json" "$page"
done
