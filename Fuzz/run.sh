#!/usr/bin/env bash
# Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...] — fuzzes curate's input handling with libFuzzer.
#
# Targets (Fuzz/Targets, each calling one function of Fuzz/EntryPoints):
#   splitter   the statement splitter, variables defined and not (interpolation)
#   tokenizer  the backslash-command argument tokenizer, with variable resolution
#   renderers  the aligned, expanded, unaligned, csv and json renderers on rows made from the bytes
#
# Builds the targets (swift build --sanitize=fuzzer --sanitize=address, release, into .build-fuzz;
# CURATE_FUZZ_SCRATCH and CURATE_FUZZ_CONFIG change that), runs each for SECONDS_PER_TARGET
# (default 60) starting from its saved corpus Fuzz/Corpus/<target>/, then merges what it found
# into a fresh minimal corpus (-merge=1) and puts that back in Fuzz/Corpus/<target>/ (the seed-*
# files, written by hand, are always kept). A crash, a broken invariant (the entry point's check
# aborts), a timeout or running out of memory leaves the input in Fuzz/Crashes/<target>-*.
# CURATE_FUZZ_NO_BUILD=1 runs the targets already built in the scratch folder.
# Prints, per target: seconds, executions, corpus files, crashes. Exit status 1 when anything crashed.
#
# The test suite replays the saved corpus without libFuzzer (Tests/CurateShellTests/FuzzCorpusReplayTests.swift).
set -uo pipefail

FUZZ="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ")"
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(splitter tokenizer renderers)
SCRATCH="${CURATE_FUZZ_SCRATCH:-$ROOT/.build-fuzz}"
CONFIG="${CURATE_FUZZ_CONFIG:-release}"

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

build=(swift build --package-path "$FUZZ" --scratch-path "$SCRATCH" -c "$CONFIG" --sanitize=fuzzer --sanitize=address)
if [ -z "${CURATE_FUZZ_NO_BUILD:-}" ]; then
    echo "building the fuzz targets (${CONFIG}, into ${SCRATCH})" >&2
    "${build[@]}" >&2 || exit 2
fi
BIN="$("${build[@]}" --show-bin-path)"
# A build without coverage instrumentation would fuzz blind: libFuzzer then finds nothing new. (Seen
# here: after the first build, later builds came out without it although swiftc was given
# -sanitize=fuzzer; the cause is not known yet.)
if [ -x "$BIN/FuzzSplitter" ] && [ "$(nm "$BIN/FuzzSplitter" 2>/dev/null | grep -c __sancov_gen_)" -lt 100 ]; then
    # Stop: a blind run finds little, and its merge would shrink the saved corpus to the seeds.
    echo "the fuzz targets in $BIN carry no coverage instrumentation (check with nm | grep __sancov_gen_); not fuzzing" >&2
    exit 2
fi

mkdir -p "$FUZZ/Crashes"
status=0
summary=""
for target in "${TARGETS[@]}"; do
    case "$target" in
        splitter) exe="$BIN/FuzzSplitter" ;;
        tokenizer) exe="$BIN/FuzzTokenizer" ;;
        renderers) exe="$BIN/FuzzRenderers" ;;
        *) echo "unknown target: $target (splitter, tokenizer, renderers)" >&2; exit 2 ;;
    esac
    corpus="$FUZZ/Corpus/$target"
    found="$SCRATCH/found-$target"
    fresh="$SCRATCH/merged-$target"
    log="$SCRATCH/fuzz-$target.log"
    mkdir -p "$corpus" "$found"
    crashes_before=$(find "$FUZZ/Crashes" -name "$target-*" | wc -l)

    echo "fuzzing $target for ${SECONDS_PER_TARGET}s (log: $log)" >&2
    # New inputs go to the first folder (the scratch one); the saved corpus is read as a second.
    "$exe" -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$FUZZ/Crashes/$target-" \
        "$found" "$corpus" >"$log" 2>&1
    rc=$?
    [ $rc -ne 0 ] && status=1 && echo "$target stopped with status $rc: see $log and Fuzz/Crashes" >&2
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    [ -z "$runs" ] && runs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')

    # Minimise: the seeds, then whatever else adds coverage, into a fresh folder; that becomes the corpus.
    rm -rf "$fresh"
    mkdir -p "$fresh"
    cp "$corpus"/seed-* "$fresh"/ 2>/dev/null || true
    "$exe" -merge=1 -max_len=4096 -timeout=10 "$fresh" "$corpus" "$found" >"$log.merge" 2>&1 \
        || echo "merge of $target failed: see $log.merge" >&2
    if [ "$(find "$fresh" -type f | wc -l)" -gt 0 ]; then
        find "$corpus" -type f -delete
        cp "$fresh"/* "$corpus"/
    fi
    files=$(find "$corpus" -type f | wc -l)
    crashes=$(( $(find "$FUZZ/Crashes" -name "$target-*" | wc -l) - crashes_before ))
    summary+="$(printf '%-10s %6ss %12s executions %5s corpus files %3s crashes' "$target" "$SECONDS_PER_TARGET" "${runs:-?}" "$files" "$crashes")"$'\n'
done
printf '%s' "$summary"
exit $status
