#!/usr/bin/env bash
# `waymark import` of a 10,000-row list (CSV and XLSX, as a province's relic list is written:
# Vietnamese headers, decision-and-date cells, coordinates in one cell) into a fresh `waymark
# init` site, and `waymark export` of the result; wall time and peak memory of each.
# usage: bench/import.sh [ROWS]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-10000}
cargo build --release -q
WM=target/release/waymark
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
python3 - "$DIR/list.csv" "$ROWS" <<'PY'
import random, sys
path, n = sys.argv[1], int(sys.argv[2])
random.seed(3)
syll = ["Kỳ", "Cùng", "Tam", "Thanh", "Mẫu", "Sơn", "Chi", "Lăng", "Bắc", "Hữu", "Liên", "Nà", "Lạn", "Tô", "Thị", "Đồng", "Đăng", "Văn", "Lãng"]
kinds = ["Đền", "Chùa", "Đình", "Động", "Thành", "Khu di tích", "Miếu"]
ranks = ["Quốc gia", "Cấp tỉnh", "Quốc gia đặc biệt"]
with open(path, "w", encoding="utf-8") as f:
    f.write("STT,Tên di tích,Số quyết định,Xã,Huyện,Cấp xếp hạng,Tọa độ\n")
    for i in range(n):
        name = f"{random.choice(kinds)} {random.choice(syll)} {random.choice(syll)} {i}"
        f.write(f'{i+1},{name},"{random.randint(1,3000)}/QĐ, {random.randint(1,28)}/{random.randint(1,12)}/{random.randint(1962,2024)}",{random.choice(syll)},{random.choice(syll)},{random.choice(ranks)},"{21 + random.random():.5f}, {106 + random.random():.5f}"\n')
PY
t() { /usr/bin/time -f "%e s, %M KiB peak" "$@" 2>&1 >/dev/null | tail -1; }
$WM init "$DIR/site" >/dev/null
echo "import $ROWS rows (CSV):  $(t $WM import "$DIR/list.csv" --site "$DIR/site")"
echo "re-import, unchanged:     $(t $WM import "$DIR/list.csv" --site "$DIR/site")"
echo "export CSV:               $(t $WM export --site "$DIR/site")"
echo "export XLSX:              $(t $WM export --format xlsx --site "$DIR/site")"
rm -rf "$DIR/site2"
$WM init "$DIR/site2" >/dev/null
echo "import $ROWS rows (XLSX): $(t $WM import "$DIR/site/output/export/entries.xlsx" --site "$DIR/site2")"
