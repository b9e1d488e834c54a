#!/usr/bin/env bash
# The cost of each output format per pack, on the benchmark corpus: the same packs built in one
# format at a time (whole process, so parse, check and resolve are in every row; the row
# "resolve only" is `check`, which does all of that and renders nothing). Needs a release build
# and hyperfine (apt-get install hyperfine).
#   benches/formats.sh [AREAS] [RUNS]     (default 20 areas: 84 packs; the PDF row: one pack)
set -euo pipefail
areas=${1:-20}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/guidepack"
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
python3 "$root/../shared/bench/gen_corpus.py" "$work/corpus" --areas "$areas" >/dev/null
p="$work/corpus"
packs=$(( (areas + 1) * 4 ))
echo "corpus: $areas areas, $packs packs"
echo "per pack, a format costs (its row - the resolve-only row) / $packs"
# Each format builds into its own folder, so that no run meets another format's files.
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/all-areas.md" \
  -n "resolve only (check)" "$bin --project $p check" \
  -n "html" "$bin --project $p build --all-areas --format html --out $work/o-html" \
  -n "odt" "$bin --project $p build --all-areas --format odt --out $work/o-odt" \
  -n "govspeak" "$bin --project $p build --all-areas --format govspeak --out $work/o-gs" \
  -n "odt + govspeak" "$bin --project $p build --all-areas --format odt --format govspeak --out $work/o-both"
cat "$work/all-areas.md"
echo
echo "one pack (audience-a), every format:"
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/one.md" \
  -n "html" "$bin --project $p build --audience audience-a --national --format html" \
  -n "pdf" "$bin --project $p build --audience audience-a --national --format pdf" \
  -n "odt" "$bin --project $p build --audience audience-a --national --format odt" \
  -n "govspeak" "$bin --project $p build --audience audience-a --national --format govspeak"
cat "$work/one.md"
ls -l "$p"/output/*/audience-a/ | grep -E '\.(pdf|odt|md|txt)$' || true
