#!/usr/bin/env bash
# Benchmarks/backup.sh — curate's \backup and \restore against plain pg_dump / pg_restore
# on the benchmark-size sample archive.
#
#   Benchmarks/backup.sh [--size N] [--runs N] [--keep-running]
#
# Uses the same throwaway server and loaded data folder as Benchmarks/run.sh
# (Benchmarks/.work/pg-SIZE; loaded on first use). Builds curate in release
# (CURATE_SCRATCH_PATH selects a build folder of its own). Cases, median of
# --runs (default 3) wall times:
#   pg_dump -Fc --file              the baseline
#   curate \backup (custom)         pg_dump + full-read verification + SHA-256 + manifest
#   curate \backup -Fd --jobs 2     directory format, two dump jobs
#   curate \restore --jobs 1 / 2    into a new database (dropped after each run)
# and the parts of the backup's overhead: the verification read (pg_restore --list and
# -f /dev/null), sha256sum, and curate's own start-up, timed one by one on a pg_dump file.
# Target: curate's custom backup within 5% of pg_dump -Fc (reported, not enforced).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/Benchmarks/.work"
size=1000000
runs=3
keep_running=0
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --keep-running) keep_running=1; shift ;;
        -h | --help) sed -n '2,18p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "backup.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

# shellcheck source=scripts/pgserver.sh source-path=SCRIPTDIR/..
. "$ROOT/scripts/pgserver.sh"
BINDIR="$(pgserver_bindir)"
PSQL="$BINDIR/psql"
PGDIR="$WORK/pg-$size"
DB=fitsdata
log() { echo "backup.sh: $*" >&2; }
now() { echo "${EPOCHREALTIME/[,]/.}"; }
calc() { awk "BEGIN { print $1 }"; }

mkdir -p "$WORK"
fingerprint="size=$size $(cat "$ROOT/Sample/fitsstorage-schema.sql" "$ROOT/Sample/fitsstorage-seed.sql" | sha256sum | cut -d' ' -f1)"
OUT="$(mktemp -d /tmp/curate-backup-bench.XXXXXX)"
cleanup() {
    rm -rf "$OUT"
    if [ "$keep_running" -eq 0 ]; then pgserver_stop "$PGDIR" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT

if [ -f "$PGDIR/loaded" ] && [ "$(cat "$PGDIR/loaded")" = "$fingerprint" ]; then
    pgserver_start "$PGDIR" >/dev/null
else
    rm -rf "$PGDIR"
    pgserver_start "$PGDIR" >/dev/null
    log "loading the sample at size $size"
    "$PSQL" -X -q -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d postgres -c "CREATE DATABASE $DB"
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d "$DB" -f "$ROOT/Sample/fitsstorage-schema.sql"
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -v size="$size" -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d "$DB" \
        -f "$ROOT/Sample/fitsstorage-seed.sql"
    "$PSQL" -X -q -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d "$DB" -c "CHECKPOINT"
    echo "$fingerprint" >"$PGDIR/loaded"
fi
CONN=(-h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres)

scratch=()
if [ -n "${CURATE_SCRATCH_PATH:-}" ]; then scratch=(--scratch-path "$CURATE_SCRATCH_PATH"); fi
log "building curate (release)"
(cd "$ROOT" && swift build -c release --static-swift-stdlib --product curate "${scratch[@]}")
CURATE="$(cd "$ROOT" && swift build -c release --static-swift-stdlib --show-bin-path "${scratch[@]}")/curate"

# median of the wall times of "$@", run $runs times; $before runs (untimed) before each.
before=true
measure() {
    local times=()
    for _ in $(seq "$runs"); do
        eval "$before"
        local t0 t1
        t0="$(now)"
        "$@" >/dev/null 2>"$OUT/stderr" || { cat "$OUT/stderr" >&2; log "failed: $*"; exit 1; }
        t1="$(now)"
        times+=("$(calc "$t1 - $t0")")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

log "measuring ($runs runs each)"
before="rm -rf '$OUT'/dump.c"
pgdump=$(measure "$BINDIR/pg_dump" "${CONN[@]}" -d "$DB" -Fc --file="$OUT/dump.c")
# What curate adds to pg_dump, measured one by one on the baseline's file.
"$BINDIR/pg_dump" "${CONN[@]}" -d "$DB" -Fc --file="$OUT/dump.c"
before=true
fullread=$(measure "$BINDIR/pg_restore" --list "$OUT/dump.c")
fullread=$(calc "$fullread + $(measure "$BINDIR/pg_restore" --file=/dev/null "$OUT/dump.c")")
checksum=$(measure sha256sum --binary "$OUT/dump.c")
startup=$(measure "$CURATE" -X "${CONN[@]}" -d "$DB" -c "SELECT 1")
dumpsize=$(stat -c %s "$OUT/dump.c")
rm -f "$OUT/dump.c"
before="rm -rf '$OUT'/b; mkdir -m 700 '$OUT'/b"
custom=$(measure "$CURATE" -X "${CONN[@]}" -d "$DB" -c "\\backup --dir $OUT/b")
directory=$(measure "$CURATE" -X "${CONN[@]}" -d "$DB" -c "\\backup --dir $OUT/b --format directory --jobs 2")
rm -rf "$OUT/b" && mkdir -m 700 "$OUT/b"
"$CURATE" -X "${CONN[@]}" -d "$DB" -c "\\backup --dir $OUT/b" >/dev/null
file="$(cd "$OUT/b" && printf '%s\n' ./*.pg_dump_c)"
file="${file#./}"
before="'$PSQL' -X -q ${CONN[*]} -d postgres -c 'DROP DATABASE IF EXISTS bench_restore'"
restore1=$(measure "$CURATE" -X "${CONN[@]}" -d "$DB" -c "\\restore $OUT/b/$file --into bench_restore --jobs 1")
restore2=$(measure "$CURATE" -X "${CONN[@]}" -d "$DB" -c "\\restore $OUT/b/$file --into bench_restore --jobs 2")
eval "$before"

overhead=$(calc "($custom / $pgdump - 1) * 100")
pct() { calc "$1 / $pgdump * 100"; }
echo
echo "| case (size $size, median of $runs) | wall s |"
echo "| --- | ---: |"
echo "| pg_dump -Fc --file | $pgdump |"
echo "| curate \\backup (custom, verified + SHA-256) | $custom |"
echo "| curate \\backup --format directory --jobs 2 | $directory |"
echo "| curate \\restore --jobs 1 | $restore1 |"
echo "| curate \\restore --jobs 2 | $restore2 |"
echo
printf 'curate custom backup overhead over pg_dump -Fc: %.1f%% (target: at most 5%%)\n' "$overhead"
echo
echo "Parts of the overhead (custom dump of $dumpsize bytes), each as a share of pg_dump -Fc:"
echo "| part | wall s | % of pg_dump |"
echo "| --- | ---: | ---: |"
printf '| verification: pg_restore --list + pg_restore -f /dev/null | %s | %.1f |\n' "$fullread" "$(pct "$fullread")"
printf '| checksum: sha256sum | %s | %.1f |\n' "$checksum" "$(pct "$checksum")"
printf '| curate start, connect, one query, exit | %s | %.1f |\n' "$startup" "$(pct "$startup")"
rest=$(calc "$custom - $pgdump - $fullread - $checksum - $startup")
printf '| the rest (findings queries, table count, manifest; noise) | %s | %.1f |\n' "$rest" "$(pct "$rest")"
