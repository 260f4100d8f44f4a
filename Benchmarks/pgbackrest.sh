#!/usr/bin/env bash
# Benchmarks/pgbackrest.sh — pgBackRest through curate against pg_dump / pg_restore on the
# benchmark-size sample archive (size 1000000: about 1.2 million rows, as Benchmarks/backup.sh).
#
#   Benchmarks/pgbackrest.sh [--size N] [--runs N] [--keep-running]
#
# A throwaway server of its own (Benchmarks/.work/pgbr-SIZE, loaded on first use) with WAL
# archiving to a pgBackRest repository in a private folder under /tmp, configured by
# PGBACKREST_* environment variables only. Builds curate in release (CURATE_BIN=PATH uses a
# binary already built; CURATE_SCRATCH_PATH selects a build folder). Wall times, median of
# --runs (default 3):
#   pg_dump -Fc --file                               the logical baseline
#   curate \backup --engine pgbackrest --type full   pgBackRest's full physical backup
#                                                    (default gz compression, one process)
#   curate \backup --engine pgbackrest --type incr   after 1000 rows were added
#   pg_restore into a new database (whole dump)      what getting one table back costs
#                                                    with a dump: restore it all (jobs 1)
#   curate \restore --engine pgbackrest --as-of T --table LARGEST --into-new DB
#                                                    scratch cluster, WAL replay to T, the
#                                                    table copied, the diff against live
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
        -h | --help) sed -n '2,22p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "pgbackrest.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
# shellcheck source=Benchmarks/common.sh source-path=SCRIPTDIR/..
. "$ROOT/Benchmarks/common.sh"
bash "$ROOT/scripts/install-deps.sh" >/dev/null

# shellcheck source=scripts/pgserver.sh source-path=SCRIPTDIR/..
. "$ROOT/scripts/pgserver.sh"
BINDIR="$(pgserver_bindir)"
PSQL="$BINDIR/psql"
PGDIR="$WORK/pgbr-$size"
DB=fitsdata
log() { echo "pgbackrest.sh: $*" >&2; }

OUT="$(mktemp -d /tmp/curate-pgbr-bench.XXXXXX)"
chmod 711 "$OUT"
mkdir "$OUT/repo" "$OUT/log" "$OUT/lock" "$OUT/scratch"
: >"$OUT/empty.conf"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$OUT/repo" "$OUT/log" "$OUT/lock" "$OUT/empty.conf"; fi
chmod 711 "$OUT/scratch"
cleanup() {
    if [ "$keep_running" -eq 0 ]; then pgserver_stop "$PGDIR" || true; fi
    rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT

mkdir -p "$WORK"
fingerprint="$(sample_fingerprint "$size")"
export PGSERVER_OPTS="-c wal_level=replica -c archive_mode=on"
if [ -f "$PGDIR/loaded" ] && [ "$(cat "$PGDIR/loaded")" = "$fingerprint" ]; then
    pgserver_start "$PGDIR" >/dev/null
    loaded=1
else
    rm -rf "$PGDIR"
    pgserver_start "$PGDIR" >/dev/null
    loaded=0
fi
CONN=(-h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres)
log "building curate (release)"
build_release_curate
export PGBACKREST_STANZA=bench PGBACKREST_REPO1_PATH="$OUT/repo" PGBACKREST_LOG_PATH="$OUT/log" \
    PGBACKREST_LOCK_PATH="$OUT/lock" PGBACKREST_CONFIG="$OUT/empty.conf" PGBACKREST_PG1_PATH="$PGDIR/data" \
    PGBACKREST_PG1_PORT="$PGSERVER_PORT" PGBACKREST_PG1_SOCKET_PATH="$PGSERVER_SOCKDIR" PGBACKREST_REPO1_RETENTION_FULL=9999999 \
    PGBACKREST_ARCHIVE_TIMEOUT=1800
archive="env PGBACKREST_STANZA=bench PGBACKREST_REPO1_PATH=$OUT/repo PGBACKREST_LOG_PATH=$OUT/log PGBACKREST_LOCK_PATH=$OUT/lock PGBACKREST_CONFIG=$OUT/empty.conf PGBACKREST_PG1_PATH=$PGDIR/data pgbackrest archive-push %p"
"$PSQL" -X -q "${CONN[@]}" -d postgres -c "ALTER SYSTEM SET archive_command = '$archive'" -c "SELECT pg_reload_conf()" >/dev/null
# The stanza before any WAL is pushed (the server waits a minute after three failed pushes);
# the first check waits until every WAL segment of an earlier load has reached the repository.
log "stanza-create and the first check"
"$CURATE" -X "${CONN[@]}" -d postgres -c "\\backup check --engine pgbackrest --create-stanza --archive-timeout 1800" >/dev/null
if [ "$loaded" -eq 0 ]; then
    log "loading the sample at size $size"
    "$PSQL" -X -q "${CONN[@]}" -d postgres -c "CREATE DATABASE $DB"
    "$PSQL" -X -q -v ON_ERROR_STOP=1 "${CONN[@]}" -d "$DB" -f "$ROOT/Sample/fitsstorage-schema.sql"
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -v size="$size" "${CONN[@]}" -d "$DB" -f "$ROOT/Sample/fitsstorage-seed.sql"
    "$PSQL" -X -q "${CONN[@]}" -d "$DB" -c "CHECKPOINT"
    echo "$fingerprint" >"$PGDIR/loaded"
fi


timed() {
    local t0 t1
    t0="$(now)"
    "$@" >"$OUT/stdout" 2>"$OUT/stderr" || { cat "$OUT/stdout" "$OUT/stderr" >&2; log "failed: $*"; exit 1; }
    t1="$(now)"
    calc "$t1 - $t0"
}
curate() { "$CURATE" -X "${CONN[@]}" -d "$DB" -c "$1"; }
sql() { "$PSQL" -X -q -A -t "${CONN[@]}" -d "$1" -c "$2"; }
rows=$(sql "$DB" "SELECT sum(n_live_tup) FROM pg_stat_user_tables")
table=$(sql "$DB" "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY relpages DESC LIMIT 1")
table_rows=$(sql "$DB" "SELECT count(*) FROM $table")
dbsize=$(sql "$DB" "SELECT pg_size_pretty(pg_database_size('$DB'))")

t_dump=() t_full=() t_incr=() t_restore=() t_pitr=()
for round in $(seq "$runs"); do
    log "round $round of $runs"
    rm -f "$OUT/dump.c"
    t_dump+=("$(timed "$BINDIR/pg_dump" "${CONN[@]}" -d "$DB" -Fc --file="$OUT/dump.c")")
    t_full+=("$(timed curate "\\backup --engine pgbackrest --type full")")
    sql "$DB" "CREATE TABLE IF NOT EXISTS bench_touch (x int); INSERT INTO bench_touch SELECT generate_series(1, 1000)" >/dev/null
    t_incr+=("$(timed curate "\\backup --engine pgbackrest --type incr")")
    sql postgres "DROP DATABASE IF EXISTS bench_restore" >/dev/null
    sql postgres "CREATE DATABASE bench_restore" >/dev/null
    t_restore+=("$(timed "$BINDIR/pg_restore" "${CONN[@]}" -d bench_restore "$OUT/dump.c")")
    sql postgres "DROP DATABASE bench_restore" >/dev/null
    # The WAL of the pg_restore above reaches the repository first (not timed: it is the
    # restore's WAL, not the recovery's work).
    curate "\\backup check --engine pgbackrest" >/dev/null
    target=$(sql "$DB" "SELECT clock_timestamp()")
    sql postgres "DROP DATABASE IF EXISTS bench_pitr" >/dev/null
    t_pitr+=("$(timed curate "\\restore --engine pgbackrest --as-of '$target' --table $table --scratch-dir $OUT/scratch --into-new bench_pitr")")
    recovered=$(sql bench_pitr "SELECT count(*) FROM $table")
    [ "$recovered" = "$table_rows" ] || { log "recovered $recovered rows of $table, expected $table_rows"; exit 1; }
    sql postgres "DROP DATABASE bench_pitr" >/dev/null
done
dumpsize=$(du -sh "$OUT/dump.c" | cut -f1)
reposize=$(du -sh "$OUT/repo" | cut -f1)

echo
echo "Database $DB: $dbsize, $rows rows; largest table $table ($table_rows rows). $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)."
echo "pg_dump file $dumpsize; pgBackRest repository after all rounds $reposize (gz, every full and incremental kept)."
echo
echo "| case (size $size, median of $runs) | wall s |"
echo "| --- | ---: |"
echo "| pg_dump -Fc --file | $(median "${t_dump[@]}") |"
echo "| curate \\backup --engine pgbackrest --type full | $(median "${t_full[@]}") |"
echo "| curate \\backup --engine pgbackrest --type incr (after the full) | $(median "${t_incr[@]}") |"
echo "| pg_restore of the whole dump into a new database | $(median "${t_restore[@]}") |"
echo "| curate \\restore --engine pgbackrest --as-of T --table $table --into-new DB | $(median "${t_pitr[@]}") |"
