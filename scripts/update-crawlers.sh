#!/usr/bin/env bash
# Refresh src/stats/crawlers.txt, the patterns `waymark stats` leaves out, from the npm package of
# crawler-user-agents (MIT). No Rust crate carries a current copy of that list.
# usage: scripts/update-crawlers.sh [VERSION]     (default: the latest on npm)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${1:-$(npm view crawler-user-agents version)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "crawler-user-agents@$VERSION" >/dev/null && tar xzf crawler-user-agents-*.tgz)
{
  echo "# The \`pattern\` of every entry of crawler-user-agents.json, npm crawler-user-agents $VERSION."
  echo "# Made by scripts/update-crawlers.sh; edit that list upstream, and Waymark's own additions in"
  echo "# src/stats/agents.rs. One regular expression a line."
  echo "#"
  sed 's/^/# /; s/ *$//' "$TMP/package/LICENSE"
  node -e 'for (const c of require(process.argv[1])) console.log(c.pattern)' "$TMP/package/crawler-user-agents.json"
} > src/stats/crawlers.txt
echo "src/stats/crawlers.txt: $(grep -vc '^#' src/stats/crawlers.txt) patterns from crawler-user-agents $VERSION"
