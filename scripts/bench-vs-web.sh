#!/usr/bin/env bash
# citygrid beside the web "large screen" it is measured against, on the same files, on the
# same machine, back to back: generates the page's 30,000-building district with the page's
# own generator, imports it into citygrid, runs the page's harness (headless Chromium) and
# `citygrid bench --compare` on it, and prints one table of ratios.
#
#   scripts/bench-vs-web.sh                 # N=30000, 3 runs each side (~15 min on 2 cores)
#   scripts/bench-vs-web.sh --n 2000 --runs 1
#
# Needs: node (18+) and Chromium at /usr/bin/chromium (Debian: apt-get install chromium
# fonts-noto-cjk), a display for citygrid (DISPLAY, e.g. Xvfb), and the peer folder
# (default ../shared/peer beside the repository; PEER=DIR to name another). The peer folder
# is copied to a scratch folder first: it may be read-only where it is found. The release
# binary is built when missing. Nothing is installed and nothing in the repository changes.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

n=30000
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --n) n="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "bench-vs-web: unknown argument $1 (use --n N, --runs R)" >&2; exit 2 ;;
  esac
done

peer="${PEER:-$repo/../shared/peer}"
missing=()
command -v node >/dev/null 2>&1 || missing+=("node")
[ -x /usr/bin/chromium ] || missing+=("chromium (apt-get install chromium fonts-noto-cjk)")
[ -f "$peer/measure.mjs" ] || missing+=("the peer folder at $peer (set PEER=DIR)")
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || missing+=("a display for citygrid (e.g. Xvfb :99 & DISPLAY=:99)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'bench-vs-web: missing %s\n' "${missing[@]}" >&2
  exit 2
fi

bin="$repo/target/release/citygrid"
if [ ! -x "$bin" ]; then
  echo "bench-vs-web: building the release binary (cargo build --release)…" >&2
  cargo build --release
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/citygrid-vs-web.XXXXXX")
echo "bench-vs-web: working in $work" >&2
cp -r "$peer" "$work/peer"
cd "$work/peer"
if [ ! -d node_modules/playwright-core ]; then
  echo "bench-vs-web: npm ci in the copy of the peer folder…" >&2
  npm ci --no-audit --no-fund >/dev/null
fi
node gen_data.mjs --n "$n" --out "data/generated/n$n" >&2

# The page's files imported as they are; scripts/peer-mapping.ron says how its metrics.json
# is laid out and what its region figures count.
"$bin" import "data/generated/n$n" --mapping "$repo/scripts/peer-mapping.ron" \
  -o "$work/snapshot.ron" >&2

echo "bench-vs-web: the web page (headless Chromium, $runs runs per mode)…" >&2
node measure.mjs --sizes "$n" --runs "$runs" --modes drill,all >&2
echo "bench-vs-web: citygrid ($runs runs per figure)…" >&2
"$bin" bench --compare "$work/snapshot.ron" --runs "$runs" > "$work/citygrid.json"

node "$repo/scripts/vs-web-table.mjs" "out/results-$n.json" "$work/citygrid.json"
echo "bench-vs-web: raw figures in $work/peer/out/results-$n.json and $work/citygrid.json" >&2
