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
#   curate \backup (custom)         pg_dump + findings + full-read verification + SHA-256 + manifest
#   curate \backup -Fd --jobs 2     directory format, two dump jobs
#   curate \restore --jobs 1 / 2    into a new database (dropped after each run)
# then the parts of the backup's overhead, timed one by one on a pg_dump file:
# pg_restore --list, the full read by one pg_restore and shared by two (as
# curate shares it), the checksum by openssl and by sha256sum, the findings
# queries, curate's own start-up. The load average is printed before and after.
# Target: curate's custom backup within 5% of pg_dump -Fc (reported, not enforced).
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
        -h | --help) sed -n '2,23p' "${BASH_SOURCE[0]}"; exit 0 ;;
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
load() { cut -d' ' -f1-3 /proc/loadavg; }

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

if [ -n "${CURATE_BIN:-}" ]; then
    CURATE="$CURATE_BIN"
else
    scratch=()
    if [ -n "${CURATE_SCRATCH_PATH:-}" ]; then scratch=(--scratch-path "$CURATE_SCRATCH_PATH"); fi
    log "building curate (release)"
    (cd "$ROOT" && swift build -c release --static-swift-stdlib --product curate "${scratch[@]}")
    CURATE="$(cd "$ROOT" && swift build -c release --static-swift-stdlib --show-bin-path "${scratch[@]}")/curate"
fi

# Wall time of "$@" in seconds; its output is discarded, a failure ends the benchmark.
timed() {
    local t0 t1
    t0="$(now)"
    "$@" >/dev/null 2>"$OUT/stderr" || { cat "$OUT/stderr" >&2; log "failed: $*"; exit 1; }
    t1="$(now)"
    calc "$t1 - $t0"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
fresh() { rm -rf "$OUT/b" "$OUT/dump.c"; mkdir -m 700 "$OUT/b"; }
backup_with() { "$1" -X "${CONN[@]}" -d "$DB" -c "\\backup --dir $OUT/b ${*:2}"; }

load_before="$(load)"
log "measuring ($runs rounds; load average $load_before)"
# pg_dump's own time inside curate's backup, from the manifest.
dump_seconds() { sed -n 's/.*"durationSeconds" : \([0-9.]*\).*/\1/p' "$OUT"/b/*.manifest; }
t_pgdump=() t_custom=() t_inside=() t_slower=() t_outside=() t_compare=() t_directory=()
for _ in $(seq "$runs"); do
    fresh; t_pgdump+=("$(timed "$BINDIR/pg_dump" "${CONN[@]}" -d "$DB" -Fc --file="$OUT/dump.c")")
    fresh; t_custom+=("$(timed backup_with "$CURATE")"); t_inside+=("$(dump_seconds)")
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

# The parts of the overhead, on the baseline's file. The shared read uses the split curate
# makes: table data dealt largest first (pg_table_size) to the lighter of two lists.
"$BINDIR/pg_dump" "${CONN[@]}" -d "$DB" -Fc --file="$OUT/dump.c"
"$BINDIR/pg_restore" --list "$OUT/dump.c" >"$OUT/list"
"$PSQL" -X -A -t -F ' ' "${CONN[@]}" -d "$DB" -c "SELECT n.nspname, c.relname, pg_table_size(c.oid) FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm')" >"$OUT/sizes"
awk -v out="$OUT" '
    FNR == NR { size[$1 "." $2] = $3; next }
    /^[0-9]+;/ { n++; line[n] = $0; weight[n] = ($4 " " $5 == "TABLE DATA") ? 1 + size[$6 "." $7] : 0 }
    END {
        for (dealt = 0; dealt < n; dealt++) {
            best = 0
            for (k = 1; k <= n; k++) if (!(k in used) && (best == 0 || weight[k] > weight[best])) best = k
            used[best] = 1
            part = (total[1] + 0 <= total[2] + 0) ? 1 : 2
            total[part] += weight[best]
            print line[best] > (out "/part" part ".list")
        }
    }' "$OUT/sizes" "$OUT/list"
shared_read() {
    local first second status=0
    "$BINDIR/pg_restore" -f /dev/null -L "$OUT/part1.list" "$OUT/dump.c" & first=$!
    "$BINDIR/pg_restore" -f /dev/null -L "$OUT/part2.list" "$OUT/dump.c" & second=$!
    wait "$first" || status=1
    wait "$second" || status=1
    return "$status"
}
# As curate runs them: one process each (max_parallel_workers_per_gather 0).
findings() {
    PGOPTIONS="-c max_parallel_workers_per_gather=0" "$PSQL" -X -q "${CONN[@]}" -d "$DB" -c "SELECT count(*) FROM diskfile c WHERE c.file_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM file p WHERE p.id = c.file_id)" \
        -c "SELECT count(*) FROM header c WHERE c.diskfile_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM diskfile p WHERE p.id = c.diskfile_id)"
}
t_list=() t_read=() t_shared=() t_part1=() t_part2=() t_openssl=() t_sha256sum=() t_findings=() t_startup=()
for _ in $(seq "$runs"); do
    t_list+=("$(timed "$BINDIR/pg_restore" --list "$OUT/dump.c")")
    t_read+=("$(timed "$BINDIR/pg_restore" --file=/dev/null "$OUT/dump.c")")
    t_shared+=("$(timed shared_read)")
    t_part1+=("$(timed "$BINDIR/pg_restore" -f /dev/null -L "$OUT/part1.list" "$OUT/dump.c")")
    t_part2+=("$(timed "$BINDIR/pg_restore" -f /dev/null -L "$OUT/part2.list" "$OUT/dump.c")")
    t_openssl+=("$(timed openssl dgst -sha256 -r "$OUT/dump.c")")
    t_sha256sum+=("$(timed sha256sum --binary "$OUT/dump.c")")
    t_findings+=("$(timed findings)")
    t_startup+=("$(timed "$CURATE" -X "${CONN[@]}" -d "$DB" -c "SELECT 1")")
done
list=$(median "${t_list[@]}")
fullread=$(median "${t_read[@]}")
shared=$(median "${t_shared[@]}")
part1=$(median "${t_part1[@]}")
part2=$(median "${t_part2[@]}")
openssl=$(median "${t_openssl[@]}")
sha256sum=$(median "${t_sha256sum[@]}")
findings=$(median "${t_findings[@]}")
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
echo "| curate \\backup (custom: pg_dump, findings, full read, SHA-256, manifest) | $custom |"
if [ -n "$compare" ]; then echo "| $compare \\backup (custom) | $(median "${t_compare[@]}") |"; fi
echo "| curate \\backup --format directory --jobs 2 | $directory |"
echo "| curate \\restore --jobs 1 | $restore1 |"
echo "| curate \\restore --jobs 2 | $restore2 |"
echo
printf 'curate custom backup overhead over pg_dump -Fc: %.1f%% (target: at most 5%%)\n' "$(calc "($custom / $pgdump - 1) * 100")"
if [ -n "$compare" ]; then
    printf '%s custom backup overhead: %.1f%%\n' "$compare" "$(calc "($(median "${t_compare[@]}") / $pgdump - 1) * 100")"
fi
echo
echo "Parts of the overhead (custom dump of $dumpsize bytes), each as a share of pg_dump -Fc:"
echo "| part | wall s | % of pg_dump |"
echo "| --- | ---: | ---: |"
printf '| pg_dump inside curate (findings run meanwhile) less pg_dump alone in the same round | %s | %.1f |\n' "$slower" "$(pct "$slower")"
printf '| curate before and after pg_dump (start, checks, verification read with checksum, manifest) | %s | %.1f |\n' "$outside" "$(pct "$outside")"
echo "| of which, timed one by one: | | |"
printf '| pg_restore --list | %s | %.1f |\n' "$list" "$(pct "$list")"
printf '| full read, one pg_restore -f /dev/null | %s | %.1f |\n' "$fullread" "$(pct "$fullread")"
printf '| full read shared by two pg_restore -L (as curate does) | %s | %.1f |\n' "$shared" "$(pct "$shared")"
printf '| its first part alone (%s) | %s | %.1f |\n' "$(grep -c 'TABLE DATA' "$OUT/part1.list") tables" "$part1" "$(pct "$part1")"
printf '| its second part alone (%s) | %s | %.1f |\n' "$(grep -c 'TABLE DATA' "$OUT/part2.list") tables" "$part2" "$(pct "$part2")"
printf '| SHA-256: openssl dgst | %s | %.1f |\n' "$openssl" "$(pct "$openssl")"
printf '| SHA-256: sha256sum | %s | %.1f |\n' "$sha256sum" "$(pct "$sha256sum")"
printf '| findings: foreign-key orphan queries (psql; run during pg_dump) | %s | %.1f |\n' "$findings" "$(pct "$findings")"
printf '| curate start, connect, one query, exit | %s | %.1f |\n' "$startup" "$(pct "$startup")"
