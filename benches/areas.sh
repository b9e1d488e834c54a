#!/usr/bin/env bash
# Local areas at scale: time and peak memory of `build --all-areas` as the number of areas
# grows (4 audiences, so 4 packs per area plus 4 national packs). FORMAT is html, pdf or both.
#   benches/areas.sh [FORMAT] [AREAS...]     e.g. benches/areas.sh both 0 10 20 40 150
set -euo pipefail
format=${1:-html}
shift || true
counts=${*:-0 10 20 40}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/guidepack"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '| areas | packs | format | wall s | peak RSS MiB |\n|---:|---:|---|---:|---:|\n'
for n in $counts; do
  python3 "$root/../shared/bench/gen_corpus.py" "$work/c$n" --areas "$n" >/dev/null
  formats=()
  [ "$format" = both ] || formats=(--format "$format")
  /usr/bin/time -f '%e %M' -o "$work/t" "$bin" --project "$work/c$n" build --all-areas "${formats[@]}" >/dev/null 2>&1
  read -r secs kib < "$work/t"
  printf '| %s | %s | %s | %s | %s |\n' "$n" $(( (n + 1) * 4 )) "$format" "$secs" $(( kib / 1024 ))
  rm -rf "$work/c$n"
done
