#!/usr/bin/env bash
# One pack (≈90 pages), whole process: guidepack (HTML + PDF) beside `typst compile` of the
# same markup and beside pandoc + typst on the plain text. Needs: a release build, hyperfine
# (apt-get install hyperfine), and `pip install typst pypandoc-binary`.
#   benches/compare.sh [RUNS]
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/guidepack"
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
python3 "$root/../shared/bench/gen_corpus.py" "$work/corpus" --plain "$work/plain" >/dev/null

# The markup guidepack generates, with its template and data, for typst alone.
GUIDEPACK_DEBUG_TYPST="$work" "$bin" --project "$work/corpus" build --audience audience-a --format pdf >/dev/null 2>&1
mkdir -p "$work/typst/templates/pdf" "$work/typst/guidepack" "$work/fonts"
cp "$work/audience-a.typ" "$work/typst/main.typ"
cp "$root/templates/pdf/pack.typ" "$work/typst/templates/pdf/"
cp "$work/audience-a.json" "$work/typst/guidepack/meta.json"
cp -r "$work/corpus/content" "$work/typst/content"
cp "$(ls -d ~/.cargo/registry/src/*/notosans-0.1.0/fonts | head -1)"/*.ttf "$work/fonts/"
pandoc=$(python3 -c 'import pypandoc; print(pypandoc.get_pandoc_path())')

cat > "$work/run_typst.py" <<PY
import sys, typst
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=["$work/fonts"], root=sys.argv[3])
PY
pages=$(pdfinfo "$work"/corpus/output/*/audience-a/*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}')
echo "pack: $pages pages"
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/result.md" \
  -n "guidepack build (HTML + PDF, one pack)" \
  "$bin --project $work/corpus build --audience audience-a" \
  -n "typst compile (same markup, typst wheel)" \
  "python3 $work/run_typst.py $work/typst/main.typ $work/typst.pdf $work/typst" \
  -n "pandoc + typst (plain text)" \
  "$pandoc $work/plain/all.md -s -o $work/plain.typ && python3 $work/run_typst.py $work/plain.typ $work/plain.pdf $work"
cat "$work/result.md"
