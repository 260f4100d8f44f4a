#!/usr/bin/env bash
# Benchmarks/backup.sh — curate's \backup and \restore against plain pg_dump / pg_restore
# on the benchmark-size sample archive.
#
#   Benchmarks/backup.sh [--size N] [--runs N] [--keep-running] [--compare CURATE]
#
# Uses the same throwaway server and loaded data folder as Benchmarks/run.sh
# (Benchmarks/.work/pg-SIZE; loaded on first use). Builds curate in release
# (CURATE_SCRATCH_PATH selects a build folder of its own; CURATE_BIN=PATH uses a
# binary already built). --compare CURATE also times another curate binary (an
# older build) in the same rounds. Wall times, median of --runs (default 3); each
# round runs every case once, one after the other, so that a change in the
# machine's load (other builds) falls on all of them alike:
#   pg_dump -Fc --file              the baseline
#   curate \backup (custom)         pg_dump, verified while it writes (every block
#                                   inflated with its check, the finished file proved
#                                   equal to what was read), SHA-256, findings, manifest;
#                                   curate's peak resident memory (GNU time)
#   curate \backup -Fd --jobs 2     directory format, two dump jobs, verified after
#   curate \restore --jobs 1 / 2    into a new database (dropped after each run)
# then, timed one by one on a pg_dump file: curate's \backup verify (its reader
# alone), pg_restore -f /dev/null, sha256sum, curate's own start-up. The load
# average is printed before and after.
# Target: curate's custom backup at most 1.03x pg_dump -Fc and at most 64 MiB
# resident (reported, not enforced).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/Benchmarks/.work"
size=1000000
runs=3
keep_running=0
compare=""
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --keep-running) keep_running=1; shift ;;
        --compare) compare="$2"; shift 2 ;;
        -h | --help) sed -n '2,27p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "backup.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
# shellcheck source=Benchmarks/common.sh source-path=SCRIPTDIR/..
. "$ROOT/Benchmarks/common.sh"

# shellcheck source=scripts/pgserver.sh source-path=SCRIPTDIR/..
. "$ROOT/scripts/pgserver.sh"
BINDIR="$(pgserver_bindir)"
PSQL="$BINDIR/psql"
PGDIR="$WORK/pg-$size"
DB=fitsdata
log() { echo "backup.sh: $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

mkdir -p "$WORK"
OUT="$(mktemp -d /tmp/curate-backup-bench.XXXXXX)"
cleanup() {
    rm -rf "$OUT"
    if [ "$keep_running" -eq 0 ]; then pgserver_stop "$PGDIR" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT

start_sample_server "$PGDIR" "$DB" "$size" "$PSQL"
CONN=(-h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres)
script_tables drop "$PSQL" "${CONN[@]}" -d "$DB"

log "building curate (release)"
build_release_curate

# Wall time of "$@" in seconds; its output is discarded, a failure ends the benchmark.
timed() {
    local t0 t1
    t0="$(now)"
    "$@" >/dev/null 2>"$OUT/stderr" || { cat "$OUT/stderr" >&2; log "failed: $*"; exit 1; }
    t1="$(now)"
    calc "$t1 - $t0"
}
fresh() { rm -rf "$OUT/b" "$OUT/dump.c"; mkdir -m 700 "$OUT/b"; }
backup_with() { "$1" -X "${CONN[@]}" -d "$DB" -c "\\backup --dir $OUT/b ${*:2}"; }
# The same, with curate's peak resident memory (kB) written to $OUT/rss.
backup_rss() { /usr/bin/time -f %M -o "$OUT/rss" "$1" -X "${CONN[@]}" -d "$DB" -c "\\backup --dir $OUT/b ${*:2}"; }

load_before="$(load)"
log "measuring ($runs rounds; load average $load_before)"
# pg_dump's own time inside curate's backup, from the manifest.
dump_seconds() { sed -n 's/.*"durationSeconds" : \([0-9.]*\).*/\1/p' "$OUT"/b/*.manifest; }
t_pgdump=() t_custom=() t_inside=() t_slower=() t_outside=() t_compare=() t_directory=() rss=()
for _ in $(seq "$runs"); do
    fresh; t_pgdump+=("$(timed "$BINDIR/pg_dump" "${CONN[@]}" -d "$DB" -Fc --file="$OUT/dump.c")")
    fresh; t_custom+=("$(timed backup_rss "$CURATE")"); t_inside+=("$(dump_seconds)"); rss+=("$(cat "$OUT/rss")")
    # This round's parts: pg_dump slower inside curate (the findings run meanwhile), and the time
    # curate spends before and after pg_dump.
    t_slower+=("$(calc "${t_inside[-1]} - ${t_pgdump[-1]}")")
    t_outside+=("$(calc "${t_custom[-1]} - ${t_inside[-1]}")")
    if [ -n "$compare" ]; then fresh; t_compare+=("$(timed backup_with "$compare")"); fi
    fresh; t_directory+=("$(timed backup_with "$CURATE" --format directory --jobs 2)")
done
pgdump=$(median "${t_pgdump[@]}")
custom=$(median "${t_custom[@]}")
slower=$(median "${t_slower[@]}")
outside=$(median "${t_outside[@]}")
directory=$(median "${t_directory[@]}")
# Each round's ratio, curate over the pg_dump of the same round: on a noisy machine the median
# of these pairs says more than the ratio of two medians taken from different rounds.
ratios=()
for i in "${!t_pgdump[@]}"; do ratios+=("$(calc "${t_custom[$i]} / ${t_pgdump[$i]}")"); done
paired=$(median "${ratios[@]}")
rss_max=$(printf '%s\n' "${rss[@]}" | sort -g | tail -1)

fresh
backup_with "$CURATE" >/dev/null
file="$(cd "$OUT/b" && printf '%s\n' ./*.pg_dump_c)"
file="$OUT/b/${file#./}"
drop() { "$PSQL" -X -q "${CONN[@]}" -d postgres -c 'DROP DATABASE IF EXISTS bench_restore'; }
restore_with() { drop; "$CURATE" -X "${CONN[@]}" -d "$DB" -c "\\restore $file --into bench_restore --jobs $1"; }
t_restore1=() t_restore2=()
for _ in $(seq "$runs"); do
    t_restore1+=("$(timed restore_with 1)")
    t_restore2+=("$(timed restore_with 2)")
done
drop
restore1=$(median "${t_restore1[@]}")
restore2=$(median "${t_restore2[@]}")

# The reads, one by one, on the baseline's file.
fresh
"$BINDIR/pg_dump" "${CONN[@]}" -d "$DB" -Fc --file="$OUT/dump.c"
verify_copy() {
    # \backup verify wants a backup name; without a manifest it reads and reports the SHA-256.
    local name="$OUT/b/bench.2020-01-01T00:00:00.pg_dump_c"
    [ -f "$name" ] || cp "$OUT/dump.c" "$name"
    "$CURATE" -X "${CONN[@]}" -d "$DB" -c "\\backup verify $name"
}
t_verify=() t_read=() t_sha256sum=() t_startup=()
for _ in $(seq "$runs"); do
    t_verify+=("$(timed verify_copy)")
    t_read+=("$(timed "$BINDIR/pg_restore" --file=/dev/null "$OUT/dump.c")")
    t_sha256sum+=("$(timed sha256sum --binary "$OUT/dump.c")")
    t_startup+=("$(timed "$CURATE" -X "${CONN[@]}" -d "$DB" -c "SELECT 1")")
done
verify=$(median "${t_verify[@]}")
fullread=$(median "${t_read[@]}")
sha256sum=$(median "${t_sha256sum[@]}")
startup=$(median "${t_startup[@]}")
dumpsize=$(stat -c %s "$OUT/dump.c")
load_after="$(load)"
pct() { calc "$1 / $pgdump * 100"; }
echo
echo "load average before: $load_before; after: $load_after ($(nproc) cores)"
echo
echo "| case (size $size, median of $runs) | wall s |"
echo "| --- | ---: |"
echo "| pg_dump -Fc --file | $pgdump |"
echo "| curate \\backup (custom: pg_dump verified while it writes, SHA-256, findings, manifest) | $custom |"
if [ -n "$compare" ]; then echo "| $compare \\backup (custom) | $(median "${t_compare[@]}") |"; fi
echo "| curate \\backup --format directory --jobs 2 | $directory |"
echo "| curate \\restore --jobs 1 | $restore1 |"
echo "| curate \\restore --jobs 2 | $restore2 |"
echo
printf 'curate custom backup: %.3fx pg_dump -Fc (target: at most 1.03x); rounds: pg_dump %s, curate %s\n' \
    "$(calc "$custom / $pgdump")" "${t_pgdump[*]}" "${t_custom[*]}"
printf 'median of the rounds'"'"' own ratios (curate / pg_dump of the same round): %.3fx (%s)\n' "$paired" "${ratios[*]}"
printf 'curate peak resident memory during the custom backup: %.1f MiB (highest of %s rounds; target: at most 64 MiB)\n' \
    "$(calc "$rss_max / 1024")" "$runs"
if [ -n "$compare" ]; then
    printf '%s custom backup overhead: %.1f%%\n' "$compare" "$(calc "($(median "${t_compare[@]}") / $pgdump - 1) * 100")"
fi
echo
echo "Parts (custom dump of $dumpsize bytes), each as a share of pg_dump -Fc:"
echo "| part | wall s | % of pg_dump |"
echo "| --- | ---: | ---: |"
printf '| pg_dump inside curate (findings run meanwhile; its file synced by curate) less pg_dump alone (syncing its file) in the same round | %s | %.1f |\n' "$slower" "$(pct "$slower")"
printf '| curate before and after pg_dump (start, checks, end of the read, proof beside the sync of the file, manifest) | %s | %.1f |\n' "$outside" "$(pct "$outside")"
echo "| timed one by one, on a finished file: | | |"
printf '| curate \\backup verify (its reader alone: every block inflated, SHA-256) | %s | %.1f |\n' "$verify" "$(pct "$verify")"
printf '| pg_restore -f /dev/null | %s | %.1f |\n' "$fullread" "$(pct "$fullread")"
printf '| SHA-256: sha256sum | %s | %.1f |\n' "$sha256sum" "$(pct "$sha256sum")"
printf '| curate start, connect, one query, exit | %s | %.1f |\n' "$startup" "$(pct "$startup")"
