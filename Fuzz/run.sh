#!/usr/bin/env bash
# Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...] — fuzzes curate's input handling with libFuzzer.
#
# Targets (Fuzz/Targets, each calling one function of Fuzz/EntryPoints):
#   splitter   the statement splitter, variables defined and not (interpolation)
#   tokenizer  the backslash-command argument tokenizer, with variable resolution
#   renderers  the aligned, expanded, unaligned, csv and json renderers on rows made from the bytes
#
# Builds the targets (swift build with -sanitize=fuzzer,address for every module, release, into .build-fuzz;
# CURATE_FUZZ_SCRATCH and CURATE_FUZZ_CONFIG change that), runs each for SECONDS_PER_TARGET
# (default 60) starting from its saved corpus Fuzz/Corpus/<target>/, then merges what it found
# into a fresh minimal corpus (-merge=1) and puts that back in Fuzz/Corpus/<target>/ (the seed-*
# files, written by hand, and the regression-* inputs of past findings are always kept). A crash, a
# broken invariant (the entry point's check aborts), a timeout or running out of memory leaves the
# input in Fuzz/Crashes/<target>-*. Refuses to fuzz (status 2) when the built targets carry no
# coverage instrumentation. CURATE_FUZZ_NO_BUILD=1 runs the targets already built in the scratch folder.
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

# Sanitizers: swiftc's driver hands only its LAST -sanitize= option to the compiler (`-sanitize=fuzzer
# -sanitize=address` compiles with address only: no coverage instrumentation), and SwiftPM writes one
# -sanitize= per --sanitize in the order of a Set, which changes from one `swift build` to the next.
# So: one --sanitize (fuzzer: SwiftPM then links libFuzzer's main instead of the target's), then both
# sanitizers in ONE option after it, for every Swift module (the curate package's included) and the link;
# -Xcc gives the C targets the address sanitizer too. The command line is then the same on every run.
build=(swift build --package-path "$FUZZ" --scratch-path "$SCRATCH" -c "$CONFIG" --sanitize=fuzzer
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address)
if [ -z "${CURATE_FUZZ_NO_BUILD:-}" ]; then
    echo "building the fuzz targets (${CONFIG}, into ${SCRATCH})" >&2
    "${build[@]}" >&2 || exit 2
fi
BIN="$("${build[@]}" --show-bin-path)"
# A build without coverage instrumentation would fuzz blind: libFuzzer finds nothing new, and the
# merge below would shrink the saved corpus to its seeds. Stop unless (1) every module the targets
# drive has coverage counters in its object files (the __sancov_cntrs sections) and (2) each target's
# libFuzzer reports loading at least MIN_COUNTERS of them (a blind build still has the C helpers' few).
MIN_COUNTERS=1000
blind=""
for module in FuzzSplitter FuzzTokenizer FuzzRenderers CurateFuzzEntryPoints CurateShell CurateKit; do
    objects=0
    counted=0
    for object in "$BIN/$module.build"/*.o; do
        [ -f "$object" ] || continue
        objects=$((objects + 1))
        # grep -c, not -q: -q stops reading, objdump dies of SIGPIPE and pipefail calls that "absent"
        [ "$(objdump -h "$object" 2>/dev/null | grep -c ' __sancov_cntrs ')" -gt 0 ] && counted=$((counted + 1))
    done
    [ "$counted" -eq 0 ] && blind+="  $module: no coverage counters in its $objects object files"$'\n'
done
probe="$SCRATCH/probe-empty"
mkdir -p "$probe"
for exe in "$BIN/FuzzSplitter" "$BIN/FuzzTokenizer" "$BIN/FuzzRenderers"; do
    if [ ! -x "$exe" ]; then
        blind+="  $exe: not built"$'\n'
        continue
    fi
    counters=$("$exe" -runs=0 "$probe" 2>&1 | grep -o 'Loaded [0-9]* modules *([0-9]* inline 8-bit counters)' \
        | grep -o '([0-9]*' | tr -d '(' | awk '{ n += $1 } END { print n + 0 }')
    [ "$counters" -lt "$MIN_COUNTERS" ] && blind+="  $(basename "$exe"): libFuzzer loads $counters coverage counters"$'\n'
done
if [ -n "$blind" ]; then
    printf 'the fuzz targets in %s carry no coverage instrumentation; not fuzzing:\n%s' "$BIN" "$blind" >&2
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

    # Minimise: the seeds and the regression inputs (named after what they found), then whatever else
    # adds coverage, into a fresh folder; that becomes the corpus.
    rm -rf "$fresh"
    mkdir -p "$fresh"
    cp "$corpus"/seed-* "$corpus"/regression-* "$fresh"/ 2>/dev/null || true
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
