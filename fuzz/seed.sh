#!/usr/bin/env sh
# Recreates the seed corpus for the parse_ownership fuzz target: the real filings in
# fixtures/edgar/ownership (bare XML, full-submission .txt, dissemination-feed .nc/.sgml) and
# the inputs in fuzz/regressions/ that once crashed the parser. The corpus directory is
# gitignored (/fuzz/corpus); run this before the first `cargo fuzz run`. Inputs the fuzzer has
# already added to the corpus are kept.
set -eu

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
fixtures="$fuzz_dir/../fixtures/edgar/ownership"
dst="$fuzz_dir/corpus/parse_ownership"

mkdir -p "$dst"
cp "$fixtures"/* "$dst"/
if [ -d "$fuzz_dir/regressions" ] && [ -n "$(ls "$fuzz_dir/regressions")" ]; then
    cp "$fuzz_dir/regressions"/* "$dst"/
fi
echo "seeded $dst: $(ls "$dst" | wc -l) files"
