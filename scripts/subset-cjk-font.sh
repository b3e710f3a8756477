#!/usr/bin/env bash
# Makes themes/default/fonts/NotoSansSC-Bold-GB2312.otf, the Chinese font of share images:
# Noto Sans CJK SC Bold (Debian's fonts-noto-cjk, SIL OFL) cut to the 6,763 hanzi of GB 2312 and
# CJK punctuation and full-width forms, with fontTools' pyftsubset (pip install fonttools).
set -euo pipefail
cd "$(dirname "$0")/.."
src=/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc   # face 2 is SC
chars=$(mktemp)
python3 - "$chars" <<'PY'
import sys
chars = set()
for hi in range(0xB0, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for a, b in [(0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2010, 0x2027)]:
    chars.update(chr(c) for c in range(a, b))
open(sys.argv[1], "w").write("".join(sorted(chars)))
PY
pyftsubset "$src" --font-number=2 --text-file="$chars" --layout-features='*' --no-hinting \
  --output-file=themes/default/fonts/NotoSansSC-Bold-GB2312.otf
rm -f "$chars"
