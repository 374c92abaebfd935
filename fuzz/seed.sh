#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds from ../shared/data and the repository's own examples.
# The corpora are not committed (fuzz/.gitignore): run this once after a checkout, then
# `cargo fuzz run <target> fuzz/corpus/<target>` (see docs/fuzzing.md). It adds the seeds to what
# the fuzzer has already kept there; delete fuzz/corpus/<target> first to start over.
#
#   fuzz/seed.sh [SHARED_DATA]   (default: ../shared/data next to the repository)
#
# Big files are cut to their first 200 KB (at a line end); zip and gzip files are seeded both
# compressed (the readers undo the compression) and decompressed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
shared="${1:-$repo/../shared/data}"
corpus="$here/corpus"
max=200000

[ -d "$shared" ] || { echo "seed.sh: $shared not found (give the shared data folder)" >&2; exit 1; }

# seed TARGET FILE...: copies each file (its first $max bytes, cut at a line end) into the corpus.
seed() {
    local target="$1"; shift
    mkdir -p "$corpus/$target"
    local f name
    for f in "$@"; do
        [ -f "$f" ] || continue
        name="${f#"$shared"/}"
        name="${name#"$repo"/}"
        case "$name" in /*) name="$(basename "$name")" ;; esac
        name="$(echo "$name" | tr '/ ' '__')"
        if [ "$(stat -c %s "$f")" -gt "$max" ]; then
            head -c "$max" "$f" | sed '$d' > "$corpus/$target/$name"
        else
            cp "$f" "$corpus/$target/$name"
        fi
    done
}

# unzip_seed TARGET FILE.zip: each member of the archive, decompressed (then cut as above).
unzip_seed() {
    local target="$1" zip="$2" tmp
    tmp="$(mktemp -d)"
    python3 - "$zip" "$tmp" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
    find "$tmp" -type f -print0 | while IFS= read -r -d '' m; do
        mv "$m" "$tmp/$(basename "$zip" .zip)__$(basename "$m")"
    done
    seed "$target" "$tmp"/*__*
    rm -rf "$tmp"
}

# gunzip_seed TARGET FILE.gz: the decompressed stream (then cut as above).
gunzip_seed() {
    local target="$1" gz="$2" tmp
    tmp="$(mktemp -d)"
    gzip -dc "$gz" > "$tmp/$(basename "$gz" .gz)"
    seed "$target" "$tmp/$(basename "$gz" .gz)"
    rm -rf "$tmp"
}

# Decompressed members of every zip and gzip file of a folder, for a target.
expand() {
    local target="$1" dir="$2" f
    while IFS= read -r -d '' f; do
        case "$f" in
            *.zip) unzip_seed "$target" "$f" ;;
            *.gz) gunzip_seed "$target" "$f" ;;
        esac
    done < <(find "$dir" -type f \( -name '*.zip' -o -name '*.gz' \) -print0)
}

# literals TARGET FILE.rs...: the raw string literals (r#"..."#) of test files that look like TOML.
literals() {
    local target="$1"; shift
    mkdir -p "$corpus/$target"
    python3 - "$corpus/$target" "$@" <<'PY'
import os, re, sys
out = sys.argv[1]
for f in sys.argv[2:]:
    text = open(f, encoding="utf-8").read()
    for i, m in enumerate(re.finditer(r'r#"(.*?)"#', text, re.S)):
        body = m.group(1)
        if "=" in body and "[" in body:
            name = f"{os.path.basename(os.path.dirname(os.path.dirname(f)))}_{os.path.basename(f)}_{i}.toml"
            open(os.path.join(out, name), "w", encoding="utf-8").write(body)
PY
}

# packed TARGET FILE: the file's first 4 KB (at a line end), gzipped and zipped, for the readers'
# decompression (input.rs: gzip, zip stored and deflated).
packed() {
    local target="$1" f="$2"
    mkdir -p "$corpus/$target"
    python3 - "$corpus/$target" "$f" <<'PY'
import gzip, os, sys, zipfile
out, f = sys.argv[1], sys.argv[2]
data = open(f, "rb").read()[:4096]
data = data[: data.rfind(b"\n") + 1] or data
base = os.path.basename(f)
open(os.path.join(out, base + ".4k.gz"), "wb").write(gzip.compress(data, mtime=0))
for method, tag in ((zipfile.ZIP_DEFLATED, "deflated"), (zipfile.ZIP_STORED, "stored")):
    with zipfile.ZipFile(os.path.join(out, f"{base}.4k.{tag}.zip"), "w", method) as z:
        z.writestr(base, data)
PY
}


# The accountant end to end (target accounting) gets the seeds of the three readers cut to 32 KB:
# a run estimates every job, so smaller inputs run faster.
both() {
    local target="$1"; shift
    seed "$target" "$@"
    max=32768 seed accounting "$@"
}

# sacct text: every text file of sacct/ (sacct output, Markdown with tables, man pages).
mapfile -t files < <(find "$shared/sacct" -type f \( -name '*.txt' -o -name '*.tsv' -o -name '*.log' -o -name '*.md' \) | sort)
both sacct_text "${files[@]}"
expand sacct_text "$shared/sacct"
packed sacct_text "$shared/sacct/rug-cit-hpc_slurm-jobinfo/sacct.txt"
packed accounting "$shared/sacct/rug-cit-hpc_slurm-jobinfo/sacct.txt"

# sacct JSON: the JSON files of sacct/ but the OpenAPI schemas (2 MB of schema, no jobs).
mapfile -t files < <(find "$shared/sacct" -type f -name '*.json' ! -path '*/openapi/*' | sort)
both sacct_json "${files[@]}"
packed sacct_json "$shared/sacct/mila-iqia_clockwork/sacct_1.json"

# SWF: the traces, compressed and decompressed.
mapfile -t files < <(find "$shared/swf" -type f \( -name '*.swf' -o -name '*.zip' -o -name '*.gz' \) -size -${max}c | sort)
seed swf "${files[@]}"
mapfile -t files < <(find "$shared/swf" -type f -name '*.swf' | sort)
both swf "${files[@]}"
expand swf "$shared/swf"
packed swf "$shared/swf/aleasimulator_alea/hpc2n.swf"
packed accounting "$shared/swf/aleasimulator_alea/hpc2n.swf"

# Darshan logs (targets darshan_log and io_characterize share this corpus).
mapfile -t files < <(find "$shared/darshan-logs" -type f -name '*.darshan' | sort)
seed darshan_log "${files[@]}"

# Center files: the repository's and the documentation's examples.
seed center_toml "$repo"/data/centers/*.toml "$repo"/docs/examples/*.toml
literals center_toml "$repo"/crates/impacts-center/tests/*.rs "$repo"/crates/impacts/tests/*.rs

# Workflows: the documentation's examples (and the center files, TOML all the same).
seed workflow_toml "$repo"/docs/examples/*.toml "$repo"/data/centers/*.toml
literals workflow_toml "$repo"/crates/impacts-workflow/tests/*.rs

# Grid series: carbon-intensity/ (Electricity Maps, eco2mix, plain CSV).
mapfile -t files < <(find "$shared/carbon-intensity" -type f -name '*.csv' | sort)
seed grid_series "${files[@]}"

for t in sacct_text sacct_json swf accounting darshan_log center_toml workflow_toml grid_series; do
    printf '%-14s %4d files %8d bytes\n' "$t" "$(find "$corpus/$t" -type f | wc -l)" "$(cat "$corpus/$t"/* | wc -c)"
done
